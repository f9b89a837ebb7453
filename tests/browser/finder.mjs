// Drives the path finder's form in Debian's Chromium (through playwright-core)
// on a site built from tests/fixtures/conditions: pick a product, then a
// version, on each side; the conditions offered follow the pair; ticking one
// and submitting puts the question in the URL and answers it. Then what
// answers say besides a route, on the conditions site, the example site and
// a site where a refusal leaves no path (tests/it/browser.rs writes it): why
// there is no path, what a refusal offers instead, the products' notes.
// Usage: node finder.mjs CONDITIONS_SITE EXAMPLE_SITE REFUSED_SITE ; prints
// one JSON report, exits 1 on any problem.
import { chromium } from "playwright-core";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [site, exampleSite, refusedSite] = process.argv.slice(2);
const problems = [];
const expect = (what, got, want) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push({ what, got, want });
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
  const tab = await browser.newPage();
  tab.on("pageerror", (error) => problems.push({ scriptError: String(error) }));
  await tab.goto(pathToFileURL(path.join(site, "paths/index.html")).href);
  await tab.waitForSelector("#finder:not([hidden])");
  expect("versions before a product is picked", await tab.isDisabled("#from"), true);

  await tab.selectOption("#from-product", { label: "MySQL Community Server" });
  await tab.waitForSelector("#from:not([disabled])");
  const versions = await tab.$$eval("#from option", (options) => options.map((o) => o.textContent));
  expect("MySQL's versions", versions, ["5.5", "5.6", "5.7", "8.0", "8.4 LTS"]);
  expect("the oldest to start from", await tab.inputValue("#from"), "mysql@5.5");
  await tab.selectOption("#from", "mysql@5.7");
  await tab.selectOption("#to-product", { label: "MySQL Community Server" });
  await tab.waitForSelector("#to:not([disabled])");
  expect("the newest to reach", await tab.inputValue("#to"), "mysql@8.4");

  const offered = () => tab.$$eval("#finder input[name=if]", (boxes) => boxes.map((b) => b.value));
  await tab.waitForSelector("#finder input[name=if]");
  expect("conditions for 5.7 to 8.4", await offered(), ["replication", "large"]);

  // Another pair, other conditions.
  await tab.selectOption("#from-product", { label: "Debian" });
  await tab.selectOption("#to-product", { label: "Debian" });
  await tab.waitForFunction(() => [...document.querySelectorAll("#finder input[name=if]")].map((b) => b.value).join() === "needs-firmware");

  // Back to MySQL; tick a condition, then ask.
  await tab.selectOption("#from-product", { label: "MySQL Community Server" });
  await tab.waitForSelector("#from:not([disabled])");
  await tab.selectOption("#from", "mysql@5.7");
  await tab.selectOption("#to-product", { label: "MySQL Community Server" });
  await tab.waitForFunction(() => [...document.querySelectorAll("#finder input[name=if]")].map((b) => b.value).join() === "replication,large");
  await tab.check("#finder input[value=replication]");
  await Promise.all([tab.waitForNavigation(), tab.click("#finder button[type=submit]")]);
  const query = new URL(tab.url()).searchParams;
  expect("the question in the URL", [query.get("from"), query.get("to"), query.getAll("if")], ["mysql@5.7", "mysql@8.4", ["replication"]]);
  await tab.waitForSelector("#answer .verdict");
  expect("the conditions said", await tab.textContent("#answer .given"), "If the server is a replication source or replica:");
  expect("the path", await tab.getAttribute("#answer", "data-path"), "mysql@5.7 mysql@8.0 mysql@8.4");
  expect("the box stays ticked", await tab.isChecked("#finder input[value=replication]"), true);

  await answersSayWhyAndWhatInstead(tab);
} finally {
  await browser.close();
}

/* The answer to a question in the URL, as the reader sees it. */
async function ask(tab, siteDir, query) {
  await tab.goto(pathToFileURL(path.join(siteDir, "paths/index.html")).href + query);
  await tab.waitForSelector("#answer .verdict");
  return tab.$eval("#answer", (answer) => {
    const texts = (css) => [...answer.querySelectorAll(css)].map((e) => e.textContent.replace(/\s+/g, " ").trim());
    return {
      path: answer.getAttribute("data-path"),
      verdict: texts(".verdict"),
      nothingLeads: texts(".nothing-leads"),
      refusals: texts(".refusal > .note"),
      instead: texts(".refusal .instead"),
      insteadLinks: [...answer.querySelectorAll(".refusal .instead a")].map((a) => a.getAttribute("href")),
      alternatives: texts(".refusal .alternatives > li > strong"),
      alternativeBodies: [...answer.querySelectorAll(".refusal .alternatives .prose")].map((e) => e.innerHTML.trim()),
      notes: [...answer.querySelectorAll(".product-notes")].map((e) => [e.getAttribute("aria-label"), e.textContent.replace(/\s+/g, " ").trim()]),
      // Under the verdict: whatever explains it comes after it.
      explainedBelow: [...answer.querySelectorAll(".refusal, .nothing-leads")]
        .every((e) => answer.querySelector(".verdict").compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING),
    };
  });
}

async function answersSayWhyAndWhatInstead(tab) {
  // Nothing leads from a newer version to an older one: said plainly.
  let answer = await ask(tab, site, "?from=mysql@8.4&to=mysql@5.5");
  expect("no path", [answer.path, answer.verdict], ["", ["No supported upgrade path."]]);
  expect("nothing leads there", answer.nothingLeads, ["No scenario or upgrade rule leads from MySQL Community Server 8.4 LTS to MySQL Community Server 5.5."]);
  expect("no refusal to show", answer.refusals, []);

  // A refusal under a condition, with a route around it: the refusal and
  // its alternative are said, under the verdict.
  answer = await ask(tab, site, "?from=mysql@5.6&to=mysql@5.7&if=large");
  expect("the route around the refusal", answer.path, "mysql@5.6 mariadb@10.3 mysql@5.7");
  expect("the refusal", answer.refusals, ["Not supported as a direct upgrade: A large 5.6 database is dumped and reloaded, not upgraded in place"]);
  expect("its alternative", answer.alternatives, ["Dump and reload into a fresh 5.7"]);
  expect("said under the verdict", answer.explainedBelow, true);
  expect("no nothing-leads line when a path exists", answer.nothingLeads, []);

  // The example: a refusal with a `via` and an alternative with a body;
  // the notes of BackOffice Server, at the start, once.
  answer = await ask(tab, exampleSite, "?from=backoffice-server@4.0&to=windows-xp-server@xp");
  expect("via, then the alternatives", answer.instead, [
    "Instead: go through Microsoft BackOffice Server 4.5. The path to Microsoft BackOffice Server 4.5",
    "Other ways, says the scenario:",
  ]);
  expect("the via stop's page, then its path in the finder", answer.insteadLinks, [
    "../products/backoffice-server/4.5/index.html",
    "?from=backoffice-server%404.0&to=backoffice-server%404.5",
  ]);
  expect("the alternative", answer.alternatives, ["Uninstall BackOffice Server 4.0, then run Windows XP Server Setup again"]);
  expect("its body as HTML, links resolved for this page", answer.alternativeBodies.length === 1 &&
    answer.alternativeBodies[0].includes('<a href="../products/backoffice-server/4.5/index.html">BackOffice Server 4.5</a>'), true);
  expect("the notes of the product at the start", answer.notes.map((n) => n[0]), ["Notes on Microsoft BackOffice Server"]);
  answer = await ask(tab, exampleSite, "?from=small-business-server@4.0&to=backoffice-server@4.5");
  expect("the notes of both ends", answer.notes.map((n) => n[0]), ["Notes on Microsoft BackOffice Small Business Server", "Notes on Microsoft BackOffice Server"]);

  // A refusal that leaves no path: the verdict, then why, then what instead;
  // the product's notes with their Markdown rendered.
  answer = await ask(tab, refusedSite, "?from=app@1.0&to=app@2.0");
  expect("no path past the refusal", [answer.path, answer.verdict, answer.nothingLeads], ["", ["No supported upgrade path."], []]);
  expect("why", answer.refusals, ["Not supported as a direct upgrade: App 1.0 cannot be upgraded"]);
  expect("what instead", [answer.instead, answer.alternatives], [["Instead, says the scenario:"], ["Install 2.0 beside it and move the data"]]);
  expect("the alternative's Markdown", answer.alternativeBodies, ['<p>Export with <code>app dump</code>, then import into <a href="../products/app/2.0/index.html">2.0</a>.</p>']);
  expect("said under the verdict", answer.explainedBelow, true);
  expect("the notes", answer.notes, [["Notes on App", "International versions differ; ask your local representative."]]);
}

console.log(JSON.stringify({ problems }, null, 1));
process.exit(problems.length ? 1 : 0);
