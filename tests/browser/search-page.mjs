// The search page as a reader drives it, in Debian's Chromium (through
// playwright-core), from file://: "Show more" pressed from the keyboard,
// the filters opened, chosen and changed by keyboard on a phone's width,
// and a new query typed with a filter kept. Run by tests/it/browser.rs.
// Usage: node search-page.mjs SITE_DIR ; SEARCH_TERM names a word with more
// than ten results of at least two kinds, one of them issues.
// Exits 1 with the problems found, one a line.
import { chromium } from "playwright-core";
import path from "node:path";
import { pathToFileURL } from "node:url";

const site = path.resolve(process.argv[2]);
const term = process.env.SEARCH_TERM || "server";
const problems = [];
const expect = (ok, problem) => { if (!ok) problems.push(problem); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  const page = pathToFileURL(path.join(site, "search/index.html")).href;
  await tab.goto(page, { waitUntil: "load" });

  // Typing: the count, ten results, and a button for the rest.
  await tab.locator("#search-query").pressSequentially(term, { delay: 30 });
  await tab.waitForSelector(".search-results > li");
  const status = await tab.locator(".search-status").textContent();
  const total = Number(status.split(" ")[0].replace(/,/g, ""));
  expect(total > 10, `"${term}" should find more than ten: ${status}`);
  expect(await tab.locator(".search-results > li").count() === 10, "the first page is not ten results");

  // "Show more" from the keyboard: ten more, and focus on the first of them.
  await tab.locator("button.show-more").focus();
  await tab.keyboard.press("Enter");
  const expected = Math.min(20, total);
  await tab.waitForFunction((n) => document.querySelectorAll(".search-results > li").length >= n, expected);
  expect(await tab.locator(".search-results > li").count() === expected, `Show more did not show ${expected} results`);
  const focused = await tab.evaluate(() => {
    const links = [...document.querySelectorAll(".search-results li > a")];
    return links.indexOf(document.activeElement);
  });
  expect(focused === 10, `after Show more the focus is on result ${focused}, not the 11th`);
  const more = await tab.locator("button.show-more").textContent().catch(() => "");
  if (total > 20) expect(more.includes(`20 of ${total.toLocaleString("en")}`), `the button says ${JSON.stringify(more)}`);

  // The filters, by keyboard on a phone's width: open, choose the issues.
  await tab.locator("#search-filters-box summary").focus();
  await tab.keyboard.press("Enter");
  const kind = tab.locator("#search-filters select[name=kind]");
  await kind.waitFor();
  const box = await kind.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 360, `the kind filter leaves a 360 px screen: ${JSON.stringify(box)}`);
  const issueChoice = await kind.locator("option", { hasText: "Issue" }).first().getAttribute("value");
  await kind.focus();
  await kind.selectOption(issueChoice);
  await tab.waitForFunction(() => {
    const kinds = [...document.querySelectorAll(".search-results .kind")];
    return kinds.length && kinds.every((k) => k.textContent.startsWith("Issue"));
  }).catch(() => problems.push("choosing the kind Issue left other kinds"));
  const filtered = await tab.locator(".search-status").textContent();
  const filteredTotal = Number(filtered.split(" ")[0].replace(/,/g, ""));
  expect(filteredTotal > 0 && filteredTotal < total, `the filtered count ${filtered} is not below ${total}`);
  expect(new URL(tab.url()).searchParams.get("kind") === issueChoice, `the address lacks kind=${issueChoice}: ${tab.url()}`);

  // A new query keeps the filter.
  await tab.locator("#search-query").fill("");
  await tab.locator("#search-query").pressSequentially(term.slice(0, 4), { delay: 30 });
  await tab.waitForFunction((t) => new URL(location.href).searchParams.get("q") === t, term.slice(0, 4));
  await tab.waitForFunction(() => document.querySelectorAll(".search-results .kind").length > 0);
  const kinds = await tab.locator(".search-results .kind").allTextContents();
  expect(kinds.every((k) => k.startsWith("Issue")), `a new query dropped the filter: ${kinds.join(", ")}`);

  // Back to any kind: the count comes back.
  await kind.selectOption("");
  await tab.waitForFunction(() => {
    const kinds = [...document.querySelectorAll(".search-results .kind")];
    return kinds.some((k) => !k.textContent.startsWith("Issue"));
  }).catch(() => problems.push("choosing any kind again kept only issues"));
  expect(errors.length === 0, `script errors: ${errors.join("; ")}`);
} finally {
  await browser.close();
}
if (problems.length) {
  console.log(problems.join("\n"));
  process.exit(1);
}
console.log("the search page pages, filters and keeps its filter by keyboard");
