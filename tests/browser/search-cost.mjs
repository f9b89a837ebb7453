// What a first query loads: opens SITE_DIR/search/index.html?q=QUERY from
// file:// in Debian's Chromium (through playwright-core), once per query in a
// fresh tab, and sums the bytes of the index files it requested (data/...).
// Usage: node search-cost.mjs SITE_DIR QUERY... ; prints one line a query and
// a JSON summary. docs/performance.md quotes its figures.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, ...queries] = process.argv.slice(2);
const data = path.join(path.resolve(site), "data") + path.sep;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const report = [];
try {
  for (const query of queries) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const files = new Set();
    tab.on("request", (request) => {
      if (!request.url().startsWith("file:")) return;
      const file = fileURLToPath(request.url());
      if (file.startsWith(data)) files.add(file);
    });
    const url = pathToFileURL(path.join(site, "search/index.html")).href + "?q=" + encodeURIComponent(query);
    await tab.goto(url, { waitUntil: "load" });
    await tab.waitForSelector(".search-status, #results:not(:empty)", { timeout: 60000 });
    const results = await tab.locator(".search-results li").count();
    // By kind: the manifest, words files (w, p) and documents files (d).
    const kind = (f) => (path.basename(f) === "search.js" ? "manifest" : path.basename(f)[0] === "d" ? "documents" : path.basename(f)[0] === "f" ? "filters" : "words");
    const bytes = { manifest: 0, words: 0, documents: 0, filters: 0 };
    let largest = 0;
    for (const f of files) {
      const size = fs.statSync(f).size;
      bytes[kind(f)] += size;
      largest = Math.max(largest, size);
    }
    const total = bytes.manifest + bytes.words + bytes.documents + bytes.filters;
    report.push({ query, results, files: files.size, total, ...bytes, largest });
    console.log(`${JSON.stringify(query)}: ${results} results, ${files.size} files, ${total} bytes ` +
      `(manifest ${bytes.manifest}, words ${bytes.words}, documents ${bytes.documents}; largest file ${largest})`);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
