#!/usr/bin/env python3
"""The scale figures of docs/performance.md, on the benchmark's "family" corpus.

    python3 benches/scale.py target/release/upgrade-atlas [--sizes 1000 10000 100000]
        [--work DIR] [--shared ../shared]

For each size, generates the corpus once with ../shared/bench/gen_atlas.py
(into WORK/kb-N, kept for later runs), then measures, with the output on
/dev/shm (tmpfs, so that the disk is not what is measured; `--outputs DIR`
writes to a folder on disk instead):

- check: wall seconds and peak memory;
- build: wall, user and system seconds, and peak memory, into a new folder;
- rebuild in place after editing one scenario, into the same folder;
- the site: bytes, files, the largest page, and per kind of page the
  largest and the total; the largest search-index file and finder file
  (what one query or one answer can cost at most, per file loaded).

Prints one JSON object per size. Wall times on a shared 2-core machine are
noisy: compare runs made one after the other, and ratios rather than seconds.
"""
import argparse, json, os, resource, shutil, subprocess, sys, time


def run(args):
    """Runs a command; returns (wall seconds, user, system, peak KB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall_s": round(wall, 2),
        "user_s": round(after.ru_utime - before.ru_utime, 2),
        "sys_s": round(after.ru_stime - before.ru_stime, 2),
        # ru_maxrss of children is the largest of any child so far.
        "peak_mb": round(after.ru_maxrss / 1024),
    }


def corpus(work, shared, n):
    out = os.path.join(work, f"kb-{n}")
    if not os.path.isdir(os.path.join(out, "content")):
        script = os.path.join(shared, "bench", "gen_atlas.py")
        subprocess.run([sys.executable, script, "--scenarios", str(n), "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
    return out


def site_stats(site):
    kinds = {}
    largest = (0, "")
    total = files = 0
    search = finder = 0
    for root, _, names in os.walk(site):
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, site)
            size = os.path.getsize(path)
            files += 1
            total += size
            if rel.startswith("data/search"):
                search = max(search, size)
            if rel.startswith("data/graph"):
                finder = max(finder, size)
            if name.endswith(".html"):
                largest = max(largest, (size, rel))
                parts = rel.split("/")
                kind = "version" if parts[0] == "products" and len(parts) == 4 else parts[0]
                k = kinds.setdefault(kind, {"pages": 0, "bytes": 0, "largest": 0})
                k["pages"] += 1
                k["bytes"] += size
                k["largest"] = max(k["largest"], size)
    return {"bytes": total, "files": files, "largest_page": largest[1],
            "largest_page_bytes": largest[0], "largest_search_file": search,
            "largest_finder_file": finder, "kinds": kinds}


def edit_one_scenario(kb):
    folder = os.path.join(kb, "content", "scenarios")
    first = sorted(os.listdir(folder))[0]
    path = os.path.join(folder, first)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("\ntitle: ", "\ntitle: Edited, ", 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--work", default="/tmp/upgrade-atlas-scale")
    ap.add_argument("--outputs", default="/dev/shm",
                    help="where sites are written: tmpfs by default, or a folder on disk")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    os.makedirs(a.work, exist_ok=True)
    for n in a.sizes:
        kb = corpus(a.work, a.shared, n)
        edited = os.path.join(a.work, f"kb-{n}-edited")
        shutil.rmtree(edited, ignore_errors=True)
        shutil.copytree(kb, edited)
        out = os.path.join(a.outputs, f"upgrade-atlas-scale-{n}")
        shutil.rmtree(out, ignore_errors=True)
        manifest = os.path.join(a.outputs, f".upgrade-atlas-scale-{n}.manifest")
        if os.path.exists(manifest):
            os.remove(manifest)
        check = run([binary, "--root", edited, "check"])
        build = run([binary, "--root", edited, "build", "--output", out])
        stats = site_stats(out)
        edit_one_scenario(edited)
        rebuild = run([binary, "--root", edited, "build", "--output", out])
        print(json.dumps({"scenarios": n, "outputs": a.outputs, "check": check, "build": build,
                          "rebuild_in_place": rebuild, "site": stats}))
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(edited, ignore_errors=True)


if __name__ == "__main__":
    main()
