#!/usr/bin/env python3
"""A built site's bytes by kind, for the deploy-size figures of docs/performance.md.

    python3 benches/site_bytes.py SITE

Walks SITE (a build's output folder) and sums file sizes by kind: version
pages (products/P/V/index.html), product pages, the API's version files
(api/v1/products/P/V.json) and the rest of the API, search data
(data/search*), the path finder's data (data/graph*), and every other
top-level folder by its name. Prints one line a kind, largest first.
"""
import collections, os, sys


def kind(parts):
    top = parts[0]
    if top == "products":
        return "version pages" if len(parts) == 4 else "product pages"
    if top == "api":
        return "api version files" if len(parts) == 5 and parts[2] == "products" else "api other"
    if top == "data":
        return "search data" if parts[1].startswith("search") else "finder data" if parts[1].startswith("graph") else "data other"
    return top if len(parts) > 1 else "top-level files"


def main(site):
    sizes, counts = collections.Counter(), collections.Counter()
    for root, _, names in os.walk(site):
        for name in names:
            path = os.path.join(root, name)
            k = kind(os.path.relpath(path, site).split(os.sep))
            sizes[k] += os.path.getsize(path)
            counts[k] += 1
    for k, size in sizes.most_common():
        print(f"{k:20} {counts[k]:7} files {size:13,} bytes")
    print(f"{'whole site':20} {sum(counts.values()):7} files {sum(sizes.values()):13,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
