// Pagefind's bytes and time for the 20 queries of benches/search.mjs, over
// HTTP from a local server (Pagefind cannot run from file://), for the
// comparison in docs/performance.md. Run by hand, never in CI:
//
//   cp -r SITE /dev/shm/pf-site && npx pagefind@1.6 --site /dev/shm/pf-site
//   node benches/pagefind.mjs /dev/shm/pf-site [RUNS]
//
// For each query, in a fresh context: load Pagefind's runtime as a page
// would before the reader types, then time search() and the data() of the
// first ten results; bytes are those of /pagefind/ files requested, with
// and without the runtime, then for results 11 to 20.
import http from "node:http"; import fs from "node:fs"; import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const { chromium } = require("playwright-core");
const QUERIES = [
  "upgrade 10.4", "replicaton", "strech", "backofice", "13.7",
  "upgrade", "rollback", "cipher", "database", "4.5",
  "u", "re", "zzqqxx", "upgrade cluster", "tls cipher",
  "agent 6.0", "database rollback", "wonka mailer", "wal_mode", "failover restart",
];
const site = path.resolve(process.argv[2]); const runs = Number(process.argv[3] || 1);
const server = http.createServer((req, res) => {
  let file = path.join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  fs.readFile(file, (e, b) => { if (e) { res.writeHead(404); res.end(); return; }
    const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".wasm") ? "application/wasm" : file.endsWith(".html") ? "text/html" : "application/octet-stream";
    res.writeHead(200, { "content-type": type }); res.end(b); });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking"] });
const times = [];
for (const q of QUERIES) {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext(); const tab = await context.newPage();
    let files = new Map();
    tab.on("requestfinished", async (r) => { const u = r.url(); if (u.includes("/pagefind/")) { const f = path.join(site, new URL(u).pathname); files.set(f, fs.statSync(f).size); } });
    await tab.goto(base + "index.html", { waitUntil: "load" });
    // The runtime first, as a page would load it before the reader types.
    await tab.evaluate(async () => { window.pf = await import("/pagefind/pagefind.js"); await window.pf.init(); });
    await tab.waitForTimeout(500);
    const runtime = [...files.values()].reduce((a, b) => a + b, 0); files = new Map();
    const out = await tab.evaluate(async (q) => {
      const t0 = performance.now(); const r = await window.pf.search(q);
      const first = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
      const ms = performance.now() - t0;
      return { ms, count: r.results.length, titles: first.slice(0, 3).map((d) => d.meta.title) };
    }, q);
    await tab.waitForTimeout(100);
    const firstBytes = [...files.values()].reduce((a, b) => a + b, 0); const before = new Set(files.keys()); files = new Map();
    await tab.evaluate(async (q) => { const r = await window.pf.search(q); await Promise.all(r.results.slice(10, 20).map((x) => x.data())); }, q);
    await tab.waitForTimeout(100);
    const next = [...files.entries()].filter(([f]) => !before.has(f)).reduce((a, [, b]) => a + b, 0);
    times.push(out.ms);
    if (run === 0) console.log(`${JSON.stringify(q)}: first page ${runtime + firstBytes} bytes with the runtime, ${firstBytes} without it, next ${next}, ${out.count} results, ${out.ms.toFixed(1)} ms; ${out.titles.join(" | ")}`);
    await context.close();
  }
}
const sorted = times.sort((a, b) => a - b);
console.log(`median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, 90th ${sorted[Math.ceil(sorted.length * 0.9) - 1].toFixed(1)} ms over ${times.length}`);
await browser.close(); server.close();
