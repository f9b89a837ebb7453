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
    const sizes = [...files].map((f) => fs.statSync(f).size);
    const bytes = sizes.reduce((a, b) => a + b, 0);
    const largest = Math.max(0, ...sizes);
    report.push({ query, results, files: files.size, bytes, largest });
    console.log(`${JSON.stringify(query)}: ${results} results, ${files.size} files, ${bytes} bytes (largest ${largest})`);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
