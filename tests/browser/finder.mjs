// Drives the path finder's form in Debian's Chromium (through playwright-core)
// on a site built from tests/fixtures/conditions: pick a product, then a
// version, on each side; the conditions offered follow the pair; ticking one
// and submitting puts the question in the URL and answers it.
// Usage: node finder.mjs SITE_DIR ; prints one JSON report, exits 1 on any problem.
import { chromium } from "playwright-core";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [site] = process.argv.slice(2);
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
} finally {
  await browser.close();
}
console.log(JSON.stringify({ problems }, null, 1));
process.exit(problems.length ? 1 : 0);
