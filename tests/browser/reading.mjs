// Reads pages of a built site as people do: on a phone (320 and 390 px) and
// a desk (1280 px), light and dark, with JavaScript on and off, and printed.
// Opens every page from file:// in Debian's Chromium through playwright-core.
//
// Usage: node reading.mjs SITE_DIR SCREENSHOT_DIR PAGE...
// Prints one JSON report and exits 1 on any problem. Checks, for each page:
// - no sideways scrolling of the page itself at any width;
// - in print, every issue's title and text is printed, no <details> is
//   left closed, and nothing is cut by a box that scrolls;
// - every link to an anchor on the site lands on an element that is shown
//   (not inside a closed <details>), with JavaScript on and off;
// - the matrix's last (newest) column is in view at 1280 px;
// - at 320 px, where items wrap, each number of a numbered list (its
//   ::marker, measured through the DevTools protocol) sits beside the
//   item's first line, not beside another line of it; the check is first
//   tried on a list made to fail, so that it cannot pass by measuring
//   nothing;
// - axe-core finds nothing at 390 px, where targets crowd and tables narrow.
// Screenshots of the whole page go to SCREENSHOT_DIR as
// <page>--<width>-<scheme>[-nojs|-print].png, and of a product's diagram
// as <page>--diagram--<width>-<scheme>[-nojs].png; none when CI=true
// (unless SCREENSHOTS=1).
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [site, shots, ...pages] = process.argv.slice(2);
const problems = [];
const problem = (page, view, what) => problems.push({ page, view, ...what });
fs.mkdirSync(shots, { recursive: true });

// The views each page is read in. `shoot` keeps a screenshot.
const views = [
  { width: 320, colorScheme: "light", js: true, markers: true },
  { width: 390, colorScheme: "light", js: true, shoot: true, axe: true },
  { width: 390, colorScheme: "dark", js: true, shoot: true },
  { width: 390, colorScheme: "light", js: false, shoot: true },
  { width: 1280, colorScheme: "light", js: true, shoot: true, matrix: true },
  { width: 1280, colorScheme: "dark", js: true, shoot: true },
  { width: 1280, colorScheme: "light", js: false, anchors: true },
];
// Anchors followed per page, with JavaScript on and off: a sample spread
// over the page, so that a matrix of hundreds of cells stays quick.
const ANCHORS_PER_PAGE = 24;

const urlOf = (page) => {
  const [file, query = ""] = page.split("?");
  return pathToFileURL(path.join(site, file)).href + (query ? "?" + query : "");
};
const shotName = (page, suffix) =>
  path.join(shots, page.replace(/\/index\.html/, "").replace(/\.html$/, "").replace(/[^A-Za-z0-9@.-]+/g, "_") + "--" + suffix + ".png");
// Screenshots are for a person to look at: CI makes none (a full-page
// PNG of a long page at 320 px took seconds), unless SCREENSHOTS=1.
const shoot = process.env.CI !== "true" || process.env.SCREENSHOTS === "1";

const viewName = (v) => `${v.width}-${v.colorScheme}${v.js ? "" : "-nojs"}`;

// A tab that reads page after page in one view: a new tab per page cost
// more than most checks on it. Its script errors and requests that leave
// file:// are the problems of the page it last opened.
async function viewTab(context, view) {
  const tab = await context.newPage();
  tab.on("pageerror", (error) => problem(tab.reading, viewName(view), { scriptError: String(error) }));
  tab.on("request", (request) => {
    if (!request.url().startsWith("file:")) problem(tab.reading, viewName(view), { request: request.url() });
  });
  return tab;
}

async function open(tab, page, view) {
  tab.reading = page;
  await tab.goto(urlOf(page), { waitUntil: "load" });
  if (view.js) await tab.waitForTimeout(150);
}

// How far the page itself scrolls sideways, and the widest culprits.
async function sideways(tab) {
  return tab.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (overflow <= 0) return null;
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .filter((e) => !e.closest(".table-wrap, .diagram-box, pre"))
      .slice(-3)
      .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + ": " + (e.textContent || "").trim().slice(0, 40));
    return { overflow, culprits };
  });
}

// Same-site links to an anchor: [url without the file:// prefix, fragment].
async function anchorLinks(tab) {
  return tab.evaluate(() =>
    [...document.querySelectorAll("main a[href*='#']")]
      .map((a) => a.href)
      .filter((href) => href.startsWith("file:") && new URL(href).hash.length > 1)
      .filter((href, i, all) => all.indexOf(href) === i));
}

function spread(list, count) {
  if (list.length <= count) return list;
  const step = list.length / count;
  return Array.from({ length: count }, (_, i) => list[Math.floor(i * step)]);
}

// After arriving through an anchor: is the target shown?
async function landing(tab) {
  return tab.evaluate(() => {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = document.getElementById(id);
    if (!target) return "no element has this id";
    const closed = target.closest("details:not([open])");
    if (closed && !(target.tagName === "SUMMARY" && target.parentElement === closed)) return "inside a closed <details>";
    if (target.tagName === "DETAILS" && !target.open) return "a closed <details>";
    if (!target.checkVisibility()) return "not visible";
    const box = target.getBoundingClientRect();
    if (box.bottom < 0 || box.top > innerHeight) return "not scrolled into view";
    return null;
  });
}

// `target` is a tab of `tab`'s context kept for this; each page's first
// anchor is opened from a blank tab, as from a new one.
async function checkAnchors(target, page, view, tab) {
  const links = spread(await anchorLinks(tab), ANCHORS_PER_PAGE);
  await target.goto("about:blank");
  for (const href of links) {
    await target.goto(href, { waitUntil: "load" });
    if (view.js) await target.waitForTimeout(50);
    const wrong = await landing(target);
    if (wrong) problem(page, viewName(view), { anchor: href.replace(pathToFileURL(site).href, ""), wrong });
  }
  return links.length;
}

// The last column of each matrix table: in view, not scrolled away.
async function newestColumn(tab) {
  return tab.evaluate(() =>
    [...document.querySelectorAll("table.matrix")].map((table) => {
      const heads = table.querySelectorAll("thead th");
      const last = heads[heads.length - 1];
      if (!last) return null;
      const box = last.getBoundingClientRect();
      const wrap = table.closest(".matrix-wrap") || document.documentElement;
      const frame = wrap.getBoundingClientRect();
      const right = Math.min(frame.right, document.documentElement.clientWidth);
      return box.right <= right + 1 && box.left >= frame.left - 1 ? null : (last.textContent || "").trim();
    }).filter(Boolean));
}

// In print: every issue's text is printed and no <details> stays shut.
async function checkPrint(tab, page) {
  await tab.emulateMedia({ media: "print" });
  const missing = await tab.evaluate(() => {
    const printed = document.body.innerText.replace(/\s+/g, " ");
    const words = (e) => (e.textContent || "").replace(/\s+/g, " ").trim();
    const out = [];
    for (const issue of document.querySelectorAll("li.issue, #answer li.issue")) {
      for (const part of issue.querySelectorAll(":scope > strong, .issue-head strong, .prose, .condition")) {
        const text = words(part);
        if (text && !printed.includes(text)) out.push(text.slice(0, 80));
      }
    }
    for (const details of document.querySelectorAll("main details")) {
      // The first words of the first text after the summary: one text
      // node, so that list items or cells never run into each other.
      const text = (element) => {
        const walk = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
          const found = words(walk.currentNode);
          if (found) return found;
        }
        return "";
      };
      const body = [...details.children].filter((c) => c.tagName !== "SUMMARY").map(text).find(Boolean) || "";
      const first = body.split(" ").slice(0, 6).join(" ");
      if (first && !printed.includes(first)) out.push("closed details: " + first);
    }
    for (const box of document.querySelectorAll("main *")) {
      const style = getComputedStyle(box);
      if (box.clientWidth > 8 && /(auto|scroll|hidden)/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1) {
        out.push("cut sideways: " + box.tagName.toLowerCase() + "." + box.className);
      }
    }
    return out;
  });
  for (const text of missing) problem(page, "print", { notPrinted: text });
  // MAX_PRINTED_PAGES bounds what a page prints to on A4 (the long-lived
  // product's version page printed to 378 pages).
  const most = Number(process.env.MAX_PRINTED_PAGES || 0);
  if (most) {
    const pdf = await tab.pdf({ format: "A4" });
    const printedPages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    if (printedPages > most) problem(page, "print", { printedPages, most });
    printedCounts[page] = printedPages;
  }
}
const printedCounts = {};
let markersChecked = 0;

// Numbered items whose number sits beside another line than their first:
// each visible item of an <ol> in `scope` with a marker, its marker's box
// (from the DevTools protocol: a ::marker has no box in the page's own
// API) against the first line box of its first text.
async function misplacedMarkers(context, tab, scope) {
  const cdp = await context.newCDPSession(tab);
  try {
    const { root } = await cdp.send("DOM.getDocument", { depth: -1, pierce: true });
    const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: scope + " ol > li" });
    const markers = new Map();
    (function walk(node) {
      for (const pseudo of node.pseudoElements || []) if (pseudo.pseudoType === "marker") markers.set(node.nodeId, pseudo.nodeId);
      (node.children || []).forEach(walk);
    })(root);
    const wrong = [];
    for (const li of nodeIds) {
      const marker = markers.get(li);
      if (!marker) continue;
      const box = await cdp.send("DOM.getBoxModel", { nodeId: marker }).catch(() => null);
      if (!box) continue; // not rendered (a closed <details>, display: none)
      const { object } = await cdp.send("DOM.resolveNode", { nodeId: li });
      const { result } = await cdp.send("Runtime.callFunctionOn", {
        objectId: object.objectId,
        returnByValue: true,
        functionDeclaration: `function () {
          const style = getComputedStyle(this);
          if (style.display !== "list-item" || style.listStyleType === "none" || !this.checkVisibility()) return null;
          const walk = document.createTreeWalker(this, NodeFilter.SHOW_TEXT);
          while (walk.nextNode()) {
            if (!walk.currentNode.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(walk.currentNode);
            const line = [...range.getClientRects()].find((r) => r.height > 0);
            if (line) return { top: line.top, bottom: line.bottom, text: this.textContent.trim().replace(/\\s+/g, " ").slice(0, 60) };
          }
          return null;
        }`,
      });
      const line = result.value;
      if (!line) continue;
      markersChecked += 1;
      const quad = box.model.content;
      const middle = (quad[1] + quad[5]) / 2;
      if (middle < line.top - 1 || middle > line.bottom + 1) {
        wrong.push({ item: line.text, markerMiddle: Math.round(middle), firstLine: [Math.round(line.top), Math.round(line.bottom)] });
      }
    }
    return wrong;
  } finally {
    await cdp.detach();
  }
}

// The marker check on a list made to fail (an inline block whose text
// wraps puts the number beside its last line) and one that must pass.
async function markerCheckCatchesAMisplacedNumber(context) {
  const tab = await context.newPage();
  await tab.setContent(`<main><ol><li>Fine: a long item that wraps onto a second line at this narrow width</li></ol>
    <ol><li><span style="display:inline-block">Misplaced: a long item in an inline block that wraps at this width</span></li></ol></main>`);
  const found = (await misplacedMarkers(context, tab, "main")).map((w) => w.item.split(":")[0]);
  await tab.close();
  if (JSON.stringify(found) !== JSON.stringify(["Misplaced"])) {
    problems.push({ markerCheck: "does not tell a misplaced number from a placed one", found });
  }
}

// axe is loaded by the view's init script (compiled once, where a tag
// added to each page after "load" took about as long as axe's run).
async function runAxe(tab, page, view) {
  const result = await tab.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  for (const v of result.violations) {
    problem(page, viewName(view), { rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) });
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let anchorsFollowed = 0;
try {
  for (const view of views) {
    const context = await browser.newContext({
      viewport: { width: view.width, height: 900 },
      colorScheme: view.colorScheme,
      javaScriptEnabled: view.js,
    });
    if (view.axe) await context.addInitScript({ path: axePath });
    if (view.markers) await markerCheckCatchesAMisplacedNumber(context);
    const tab = await viewTab(context, view);
    const jsView = { ...view, js: true };
    // The anchors' second reading, with JavaScript on (the view has it
    // off): its own context, and a tab for the anchors of each context.
    const withJs = view.anchors && await browser.newContext({ viewport: { width: view.width, height: 900 } });
    const anchorTabs = view.anchors && {
      target: await context.newPage(),
      jsTab: await viewTab(withJs, jsView),
      jsTarget: await withJs.newPage(),
    };
    for (const page of pages) {
      await open(tab, page, view);
      if (view.markers) {
        for (const wrong of await misplacedMarkers(context, tab, "main")) problem(page, viewName(view), { misplacedNumber: wrong });
      }
      const wide = await sideways(tab);
      if (wide) problem(page, viewName(view), { sideways: wide });
      if (view.shoot && shoot) {
        await tab.screenshot({ path: shotName(page, viewName(view)), fullPage: true });
        // A product's diagram on its own, as a reader sees it at this width.
        const diagram = await tab.$("figure.diagram-box");
        if (diagram) await diagram.screenshot({ path: shotName(page, "diagram--" + viewName(view)) });
      }
      if (view.matrix && page.startsWith("matrix/")) {
        for (const hidden of await newestColumn(tab)) problem(page, viewName(view), { newestColumnOutOfView: hidden });
      }
      if (view.axe) await runAxe(tab, page, view);
      if (view.anchors) {
        anchorsFollowed += await checkAnchors(anchorTabs.target, page, view, tab);
        await open(anchorTabs.jsTab, page, jsView);
        anchorsFollowed += await checkAnchors(anchorTabs.jsTarget, page, jsView, anchorTabs.jsTab);
        await checkPrint(tab, page);
        if (shoot) await tab.screenshot({ path: shotName(page, "print"), fullPage: true });
        // Back to the screen for the next page in this tab.
        await tab.emulateMedia({ media: null });
      }
    }
    if (withJs) await withJs.close();
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages: pages.length, anchorsFollowed, markersChecked, printedCounts, problems }, null, 1));
process.exit(problems.length ? 1 : 0);
