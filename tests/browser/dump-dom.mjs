// One Chromium kept open for a test process's DOM captures
// (tests/it/common/chromium.rs): what `chromium --dump-dom
// --virtual-time-budget=5000 URL` prints, for one URL after another, without
// launching a browser for each.
//
// Usage: node dump-dom.mjs CHROMIUM_FLAG... ; the browser is $CHROMIUM or
// /usr/bin/chromium. Reads one URL a line on stdin; answers each with one
// line of JSON on stdout, {"dom": "..."} or {"error": "..."}. Closes the
// browser and exits at the end of stdin, that is when the test process ends.
//
// Each capture does what Chromium's own --dump-dom does
// (components/headless/command_handler/headless_command.js): a page in a
// fresh browser context, loaded; then virtual time, paused while fetches are
// pending, given the budget, so the page's timers and fetches run out; then
// the doctype and the document's outerHTML.
import { chromium } from "playwright-core";
import process from "node:process";
import readline from "node:readline";
import { setTimeout, clearTimeout } from "node:timers";

const VIRTUAL_TIME_BUDGET_MS = 5000;
// Real time a capture may take before it is reported as stuck, rather than
// hanging the test that asked: generous, for the oracle harnesses that
// compute for a long while on a busy machine.
const CAPTURE_TIMEOUT_MS = 10 * 60 * 1000;
const DOCTYPE_AND_DOCUMENT =
  "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\\n' : '')" +
  " + document.documentElement.outerHTML";

const answer = (fields) => process.stdout.write(JSON.stringify(fields) + "\n");

let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // The flags carry --headless themselves. Playwright's headless mode would
    // add switches --dump-dom never had (hidden scrollbars, a touch pointer
    // that cannot hover), which change what a page's styles and scripts see.
    headless: false,
    args: process.argv.slice(2),
  });
} catch (error) {
  answer({ error: `launching Chromium: ${error}` });
  process.exit(1);
}

// The page for the next capture is made while the test reads the DOM of
// the last: a browser context and its renderer take as long as a page's load.
let nextPage = freshPage();
for await (const url of readline.createInterface({ input: process.stdin })) {
  const page = nextPage;
  try {
    answer({ dom: await withTimeout(dumpDom(await page, url), url) });
  } catch (error) {
    answer({ error: String(error) });
  }
  nextPage = freshPage();
  page.then((used) => used.context().close()).catch(() => {});
}
await browser.close();

/* A blank page in a browser context of its own, as --dump-dom opens. */
function freshPage() {
  // No viewport and no colour scheme of Playwright's: the window's size and
  // the scheme are the browser's, as its flags (--window-size,
  // --force-dark-mode) set them.
  const page = browser.newContext({ viewport: null, colorScheme: null }).then((context) => context.newPage());
  // A failure is reported by the capture that awaits the page.
  page.catch(() => {});
  return page;
}

/* The DOM of `url` after its scripts ran, as --dump-dom prints it. */
async function dumpDom(page, url) {
  await page.goto(url, { waitUntil: "load" });
  await runOutVirtualTime(await page.context().newCDPSession(page));
  return await page.evaluate(DOCTYPE_AND_DOCUMENT);
}

/* Lets the page run its timers and fetches for the budget of virtual time. */
async function runOutVirtualTime(session) {
  const expired = new Promise((resolve) => session.once("Emulation.virtualTimeBudgetExpired", resolve));
  await session.send("Emulation.setVirtualTimePolicy", {
    policy: "pauseIfNetworkFetchesPending",
    budget: VIRTUAL_TIME_BUDGET_MS,
    maxVirtualTimeTaskStarvationCount: 9999,
  });
  await expired;
}

/* `capture`, or an error once it took longer than anything should. */
function withTimeout(capture, url) {
  let timer;
  const stuck = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no DOM of ${url} after ${CAPTURE_TIMEOUT_MS} ms`)), CAPTURE_TIMEOUT_MS);
  });
  return Promise.race([capture, stuck]).finally(() => clearTimeout(timer));
}
