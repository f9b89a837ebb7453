// Opens pages of a built site from file:// in Debian's Chromium (through
// playwright-core, never a downloaded browser), runs axe-core on each, checks
// that no request leaves file://, and drives the search (the search page's
// and the header's results as you type) with the keyboard.
// Pages after the argument --target-size-only are read at 390 px, light,
// with axe's target-size rule alone: the rule whose result follows how much
// a page holds (links that crowd as lists grow), for the pages of a large
// site that share their shape with pages read in full.
// A page given as light:PAGE is read in the light scheme only: the dark
// one changes colours alone, the same for every page of a kind, so a
// sample of each site's pages is read in it too.
// Usage: node a11y.mjs SITE_DIR PAGE... [--target-size-only PAGE...] ;
// prints one JSON report, exits 1 on any problem.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [site, ...rest] = process.argv.slice(2);
const split = rest.indexOf("--target-size-only");
const pages = split < 0 ? rest : rest.slice(0, split);
const targetSizePages = split < 0 ? [] : rest.slice(split + 1);
const problems = [];

// axe-core's violations on the page loaded in `tab`, as problems.
async function axeOn(tab, page, colorScheme, options) {
  const result = await tab.evaluate(async (options) => await window.axe.run(document, options), options);
  for (const v of result.violations) {
    problems.push({ page, colorScheme, rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) });
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
// The rules that read colours: all the dark scheme changes (a second
// run of every other rule gave the light run's answer again).
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

try {
  // One tab for every page, axe loaded before each page's scripts (by
  // init script: compiled once, where injecting it after "load" in a new
  // tab per page took about as long as axe's run), each page read light
  // and, on the same load, dark: the dark scheme changes CSS alone (no
  // script reads it, no style transitions), as loading the page dark did.
  {
    const context = await browser.newContext({ colorScheme: "light" });
    await context.addInitScript({ path: axePath });
    const tab = await context.newPage();
    let current = null;
    tab.on("request", (request) => {
      if (!request.url().startsWith("file:")) problems.push({ page: current, request: request.url() });
    });
    tab.on("pageerror", (error) => problems.push({ page: current, scriptError: String(error) }));
    for (const given of pages) {
      const page = given.replace(/^light:/, "");
      current = page;
      const [file, query = ""] = page.split("?");
      const url = pathToFileURL(path.join(site, file)).href + (query ? "?" + query : "");
      await tab.emulateMedia({ colorScheme: "light" });
      await tab.goto(url, { waitUntil: "load" });
      // A page's own scripts ran by "load"; a question in its address
      // (the path finder's, the search's) is answered after, from data
      // the page loads then.
      if (query) await tab.waitForTimeout(200);
      await axeOn(tab, page, "light", { resultTypes: ["violations"] });
      if (page !== given) continue;
      await tab.emulateMedia({ colorScheme: "dark" });
      await axeOn(tab, page, "dark", { resultTypes: ["violations"], runOnly: COLOUR_RULES });
    }
    await context.close();
  }

  // One tab for every page, with axe loaded before each page's scripts.
  if (targetSizePages.length) {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    await context.addInitScript({ path: axePath });
    const tab = await context.newPage();
    tab.on("pageerror", (error) => problems.push({ scriptError: String(error) }));
    for (const page of targetSizePages) {
      await tab.goto(pathToFileURL(path.join(site, page)).href, { waitUntil: "load" });
      const result = await tab.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"], runOnly: ["target-size"] }));
      for (const v of result.violations) {
        problems.push({ page, width: 390, rule: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) });
      }
    }
    await context.close();
  }

  // Keyboard: type a query, ArrowDown reaches the first result, Escape returns.
  const tab = await browser.newPage();
  await tab.goto(pathToFileURL(path.join(site, "search/index.html")).href);
  await tab.fill("#search-query", process.env.SEARCH_TERM || "server");
  await tab.waitForSelector(".search-results a", { timeout: 5000 });
  await tab.press("#search-query", "ArrowDown");
  const first = await tab.evaluate(() => document.activeElement === document.querySelector(".search-results a"));
  if (!first) problems.push({ keyboard: "ArrowDown from the search box does not reach the first result" });
  await tab.keyboard.press("ArrowDown");
  const second = await tab.evaluate(() => document.activeElement === document.querySelectorAll(".search-results a")[1]);
  if (!second) problems.push({ keyboard: "ArrowDown does not move to the second result" });
  await tab.keyboard.press("Escape");
  const back = await tab.evaluate(() => document.activeElement && document.activeElement.id === "search-query");
  if (!back) problems.push({ keyboard: "Escape does not return to the search box" });

  // The header's box shows results as you type, on any page, and the
  // arrow keys reach them.
  const home = await browser.newPage();
  home.on("pageerror", (error) => problems.push({ header: String(error) }));
  await home.goto(pathToFileURL(path.join(site, "index.html")).href);
  await home.fill("#site-search", process.env.SEARCH_TERM || "server");
  const shown = await home.waitForSelector("#site-search-results li a", { timeout: 5000 }).then(() => true, () => false);
  if (!shown) problems.push({ header: "the header's search box shows no results as you type" });
  else {
    await home.press("#site-search", "ArrowDown");
    const reached = await home.evaluate(() => document.activeElement === document.querySelector("#site-search-results a"));
    if (!reached) problems.push({ header: "ArrowDown from the header's box does not reach the first result" });
    await home.keyboard.press("Escape");
    await home.keyboard.press("Escape");
    const closed = await home.evaluate(() => document.getElementById("site-search-results").hidden);
    if (!closed) problems.push({ header: "Escape does not close the header's results" });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages: pages.length, targetSizePages: targetSizePages.length, problems }, null, 1));
process.exit(problems.length ? 1 : 0);
