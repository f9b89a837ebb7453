// Search bench: the fixed set of 20 queries of issue 24 on a built site,
// in Chromium (playwright-core from tests/browser/node_modules), from disk
// (file://) and over HTTP from a local server this script starts.
//
//   node benches/search.mjs SITE_DIR [--runs 5] [--json]
//
// For each query, in a fresh browser context (empty cache): open
// search/index.html, type the query into its box, and time from the input
// event to the first results (or the "No results" line), on the page's
// clock; then press "Show more" once. Bytes are those of the files under
// data/ the query requested (raw, as written), for the first page and for
// the next. Prints one line a query and the median and 90th percentile of
// the times over all queries and runs. Run by hand, never in CI.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");

export const QUERIES = [
  "upgrade 10.4", "replicaton", "strech", "backofice", "13.7",
  "upgrade", "rollback", "cipher", "database", "4.5",
  "u", "re", "zzqqxx", "upgrade cluster", "tls cipher",
  "agent 6.0", "database rollback", "wonka mailer", "wal_mode", "failover restart",
];

const args = process.argv.slice(2);
const site = path.resolve(args[0] || "public");
const runs = Number(args[args.indexOf("--runs") + 1] || 0) || 5;
const data = path.join(site, "data") + path.sep;

function serve() {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://localhost");
    let file = path.join(site, decodeURIComponent(url.pathname));
    if (!file.startsWith(site)) { response.writeHead(403); response.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (error, bytes) => {
      if (error) { response.writeHead(404); response.end(); return; }
      const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
      response.writeHead(200, { "content-type": type });
      response.end(bytes);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function dataFile(url, base) {
  if (base.startsWith("file:")) {
    if (!url.startsWith("file:")) return null;
    const file = fileURLToPath(url);
    return file.startsWith(data) ? file : null;
  }
  if (!url.startsWith(base)) return null;
  const file = path.join(site, decodeURIComponent(new URL(url).pathname));
  return file.startsWith(data) ? file : null;
}

async function measure(browser, base, query) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  let files = new Set();
  tab.on("request", (request) => {
    const file = dataFile(request.url(), base);
    if (file) files.add(file);
  });
  await tab.goto(base + "search/index.html", { waitUntil: "load" });
  const ms = await tab.evaluate((q) => new Promise((resolve) => {
    const input = document.getElementById("search-query");
    const results = document.getElementById("results");
    let start = 0;
    new MutationObserver((_, observer) => {
      // The first result, or the status line when it says there is none
      // (the status line with a count comes before the results' documents).
      const status = results.querySelector(".search-status");
      if (results.querySelector(".search-results li") ||
        (status && status.textContent.includes("No results") && !status.textContent.includes("showing"))) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    }).observe(results, { childList: true, subtree: true });
    input.value = q;
    start = performance.now();
    input.dispatchEvent(new Event("input"));
  }), query);
  await tab.waitForFunction(() => !document.querySelector("#results .search-results") ||
    document.querySelector("#results .search-results li"));
  const bytes = (set) => [...set].reduce((sum, f) => sum + fs.statSync(f).size, 0);
  const first = bytes(files);
  const firstFiles = files.size;
  const status = await tab.locator(".search-status").first().textContent().catch(() => "");
  let next = 0;
  if (await tab.locator("button.show-more").count()) {
    const before = new Set(files);
    files = new Set();
    const shown = await tab.locator(".search-results > li").count();
    await tab.locator("button.show-more").click();
    await tab.waitForFunction((n) => document.querySelectorAll(".search-results > li").length > n, shown);
    next = bytes([...files].filter((f) => !before.has(f)));
  }
  await context.close();
  return { query, ms, first, firstFiles, next, status: status.trim() };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const server = await serve();
const bases = {
  disk: pathToFileURL(site).href + "/",
  http: `http://127.0.0.1:${server.address().port}/`,
};
const report = {};
try {
  for (const [where, base] of Object.entries(bases)) {
    const times = [];
    const rows = [];
    for (const query of QUERIES) {
      const measured = [];
      for (let run = 0; run < runs; run++) measured.push(await measure(browser, base, query));
      const row = { ...measured[0], ms: percentile(measured.map((m) => m.ms), 50) };
      times.push(...measured.map((m) => m.ms));
      rows.push(row);
      console.log(`${where} ${JSON.stringify(query)}: ${row.first} bytes in ${row.firstFiles} files, ` +
        `next page ${row.next} bytes, first results ${row.ms.toFixed(1)} ms (median of ${runs}); ${row.status}`);
    }
    report[where] = { rows, median_ms: percentile(times, 50), p90_ms: percentile(times, 90) };
    console.log(`${where}: first results median ${report[where].median_ms.toFixed(1)} ms, ` +
      `90th percentile ${report[where].p90_ms.toFixed(1)} ms over ${times.length} searches; ` +
      `most bytes for a first page ${Math.max(...rows.map((r) => r.first))}, for a next page ${Math.max(...rows.map((r) => r.next))}`);
  }
} finally {
  await browser.close();
  server.close();
}
if (args.includes("--json")) console.log(JSON.stringify(report));
