/* upgrade-atlas path finder's page: the form that picks two versions and
   the conditions that change their answer, and the answer, hop by hop. The
   answers come from the engine (paths.js); what it shares with the search
   and runbooks (loading, elements, issues) is common.js.

   The choice lives in the URL (?from=&to=&if=&originally=) so answers can be
   shared. Text goes in with textContent; the only HTML inserted is what the
   build rendered: steps, notes and alternatives from Markdown, and each
   issue through the theme's partials/issue.html, as on pages. */
(function () {
  "use strict";

  var paths = window.UpgradeAtlasPaths;
  var common = window.UpgradeAtlasCommon;
  // Without them paths.js has said why on the page.
  if (!paths || !common) return;
  var core = paths.data;
  var productOf = paths.productOf, firstNode = paths.firstNode;
  var factList = paths.factList, factsNamed = paths.factsNamed;
  var element = common.element, link = common.link, prose = common.prose;
  var t = common.t, phrase = common.phrase;
  var statusLine = document.getElementById("finder-status");

  function say(text) {
    if (!statusLine) return;
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  var form = document.getElementById("finder");
  var answerBox = document.getElementById("answer");
  var choicesBox = document.getElementById("finder-choices");
  if (!form || !answerBox || !choicesBox) return;

  var engine = paths.engine();

  function pageUrl(kind, id) { return core.urls[kind].replace("{" + kind + "}", id); }

  // ---- Choosing versions

  function picker(side) {
    var productSelect = document.getElementById(side + "-product");
    var versionSelect = document.getElementById(side);
    core.products.forEach(function (product, p) {
      if (product.versions) productSelect.appendChild(new Option(product.name, String(p)));
    });
    /* Fills the version list of a product, choosing `chosen` (or the
       oldest version to start from, the newest to reach). Only the product
       picked last fills the list, however fast its part loads. */
    var picked = 0;
    async function showProduct(p, chosen) {
      var mine = ++picked;
      productSelect.value = String(p);
      versionSelect.disabled = true;
      await engine.need([firstNode(p)]);
      if (mine !== picked) return;
      versionSelect.textContent = "";
      var count = core.products[p].versions;
      var pick = chosen >= 0 ? chosen : (side === "from" ? firstNode(p) : firstNode(p) + count - 1);
      for (var node = firstNode(p); node < firstNode(p) + count; node++) {
        versionSelect.appendChild(new Option(engine.versionName(node), engine.ref(node), node === pick, node === pick));
      }
      versionSelect.disabled = false;
    }
    productSelect.addEventListener("change", function () {
      if (productSelect.value === "") {
        picked++;
        versionSelect.textContent = "";
        versionSelect.appendChild(new Option(t("script-pick-product-first"), ""));
        versionSelect.disabled = true;
        refreshChoices();
        return;
      }
      showProduct(Number(productSelect.value), -1).then(refreshChoices, failed);
    });
    versionSelect.addEventListener("change", refreshChoices);
    return { showProduct: showProduct, select: versionSelect };
  }

  var pickers = { from: picker("from"), to: picker("to") };

  function failed(error) {
    say(t("script-finder-no-data", { error: error.message }));
  }

  // ---- Conditions and where the server began

  /* The conditions ticked, by index: from the URL, then as boxes change. */
  var ticked = {};
  var conditionsBox = element("div");
  var originallyBox = element("div");
  choicesBox.appendChild(conditionsBox);
  choicesBox.appendChild(originallyBox);

  /* The boxes of the conditions that change this answer. They are rebuilt
     only when that list changes, so that a box keeps the focus when ticked. */
  function showConditions(offered) {
    var key = offered.join(",");
    if (conditionsBox.getAttribute("data-offered") === key && conditionsBox.firstChild) return;
    conditionsBox.setAttribute("data-offered", key);
    conditionsBox.textContent = "";
    if (!offered.length) {
      if (core.conditions.length) {
        conditionsBox.appendChild(element("p", "meta", t("script-no-condition-changes")));
      }
      return;
    }
    var set = element("fieldset", "conditions");
    set.appendChild(element("legend", "", t("script-conditions-legend")));
    set.appendChild(element("p", "meta", t("script-tick-those")));
    offered.forEach(function (c) {
      var condition = core.conditions[c];
      var line = element("p", "check");
      var box = element("input");
      box.type = "checkbox";
      box.id = "if-" + c;
      box.name = "if";
      box.value = condition.name;
      box.defaultChecked = !!ticked[c];
      box.addEventListener("change", function () {
        ticked[c] = box.checked;
        refreshChoices();
      });
      var label = element("label", "", condition.description || condition.name);
      label.htmlFor = box.id;
      line.appendChild(box);
      line.appendChild(document.createTextNode(" "));
      line.appendChild(label);
      set.appendChild(line);
    });
    conditionsBox.appendChild(set);
  }

  /* "Originally installed as", only when an issue on the path depends on it. */
  function showOriginally(named, from, originally) {
    var choices = named.filter(function (node) { return node !== from; });
    if (originally >= 0 && originally !== from && choices.indexOf(originally) < 0) choices.push(originally);
    var key = choices.join(",");
    if (originallyBox.getAttribute("data-named") === key) return;
    originallyBox.setAttribute("data-named", key);
    originallyBox.textContent = "";
    if (!choices.length) return;
    var line = element("p", "originally");
    var label = element("label", "", t("script-originally-label"));
    label.htmlFor = "originally";
    var select = element("select");
    select.id = "originally";
    select.name = "originally";
    var now = !(originally >= 0 && originally !== from);
    select.appendChild(new Option(t("script-originally-now"), "", now, now));
    choices.forEach(function (node) {
      var chosen = node === originally;
      select.appendChild(new Option(engine.title(node), engine.ref(node), chosen, chosen));
    });
    select.addEventListener("change", refreshChoices);
    line.appendChild(label);
    line.appendChild(document.createTextNode(" "));
    line.appendChild(select);
    originallyBox.appendChild(line);
    originallyBox.appendChild(element("p", "meta", t("script-originally-note")));
  }

  function chosenVersion(side) {
    var select = pickers[side].select;
    return select.disabled ? "" : select.value;
  }

  /* After the pair or a condition changed: the choices for the new question. */
  var generation = 0;
  async function refreshChoices() {
    var mine = ++generation;
    var chosen = originallyBox.querySelector("select");
    try {
      var from = chosenVersion("from") ? await engine.nodeIndex(chosenVersion("from")) : -1;
      var to = chosenVersion("to") ? await engine.nodeIndex(chosenVersion("to")) : -1;
      var originally = chosen && chosen.value ? await engine.nodeIndex(chosen.value) : -1;
      if (from < 0 || to < 0) {
        if (mine === generation) { showConditions([]); showOriginally([], from, -1); }
        return;
      }
      var found = await engine.choices(from, to, ticked, originally);
      if (mine !== generation) return;
      say("");
      showConditions(found.conditions);
      showOriginally(found.originally, from, originally);
    } catch (error) {
      failed(error);
    }
  }

  form.addEventListener("submit", function (event) {
    if (!chosenVersion("from") || !chosenVersion("to")) {
      event.preventDefault();
      say(t("script-pick-both"));
    }
  });

  // ---- The answer

  function givenWords(conditions, facts, originally, from) {
    var clauses = conditions.filter(function (c) { return facts[c]; })
      .map(function (c) { return core.conditions[c].clause; });
    if (originally >= 0 && originally !== from) clauses.push(t("script-was-originally", { version: engine.title(originally) }));
    if (clauses.length) return t("script-given", { when: clauses.join(" " + t("script-and") + " ") });
    if (conditions.length) return t("script-given-none");
    return "";
  }

  /* How many of a route's issues block it. */
  function blockingCount(result) {
    var count = 0;
    (result.hops || []).forEach(function (hop) {
      hop.issues.forEach(function (found) { if (found.issue.severity === "blocking") count += 1; });
    });
    return count;
  }

  /* The answer in one line; a route with blocking issues says how many wait
     on the way, so that "2 hops" never reads as a clear road. */
  function verdictWords(route, blocking) {
    if (!route) return t("script-verdict-none");
    if (route.length === 1) return t("script-verdict-same");
    var hops = route.length - 1;
    if (!blocking) return t("script-verdict", { hops: hops });
    return t("script-verdict-blocked", { hops: hops, blocking: blocking });
  }

  function hopItem(hop) {
    var item = element("li", "hop");
    var head = element("h3", "hop-head");
    head.appendChild(link(engine.url(hop.from), engine.title(hop.from)));
    head.appendChild(document.createTextNode(" → "));
    head.appendChild(link(engine.url(hop.to), engine.title(hop.to)));
    item.appendChild(head);
    if (!hop.scenarios.length) {
      item.appendChild(element("p", "meta", t("script-by-rules-of", { product: core.products[productOf(hop.from)].name })));
    }
    hop.scenarios.forEach(function (s) {
      item.appendChild(phrase("p", "meta", "script-scenario", { scenario: link(pageUrl("scenario", s.id), s.title) }));
      if (s.steps.length) {
        var steps = element("ol", "steps");
        s.steps.forEach(function (html) { steps.appendChild(prose("li", html)); });
        item.appendChild(steps);
      }
    });
    var issues = common.bySeverity(core, hop.issues);
    if (issues.length) {
      var list = element("ul", "issues");
      issues.forEach(function (found) { list.appendChild(common.issueElement(found.issue)); });
      item.appendChild(list);
    }
    return item;
  }

  /* Why there is no path when no scenario refuses one: nothing leads there. */
  function nothingLeads(result) {
    var ticked = factList(result.facts).length > 0;
    var names = { from: engine.title(result.from), to: engine.title(result.to) };
    return t(ticked ? "script-nothing-leads-when" : "script-nothing-leads", names);
  }

  /* A link to this page with another question on `from` and `to` (named
     by `fromKey` and `toKey`: `from`/`to` for an answer, `at`/`goal` for a
     runbook), with the same conditions. */
  function questionLink(fromKey, from, toKey, to, facts, text) {
    var query = new URLSearchParams();
    query.set(fromKey, engine.ref(from));
    query.set(toKey, engine.ref(to));
    factList(facts).forEach(function (c) { query.append("if", core.conditions[c].name); });
    var a = element("a", "", text);
    a.href = "?" + query.toString();
    return a;
  }

  /* The answer for another pair, with the same conditions. */
  function finderLink(from, to, facts, text) {
    return questionLink("from", from, "to", to, facts, text);
  }

  /* The same route as a runbook to follow (stacks.js: a plan of one
     member), with the same conditions. */
  function runbookLink(from, to, facts) {
    var a = questionLink("at", from, "goal", to, facts, t("script-follow-as-runbook"));
    a.className = "runbook-link";
    return a;
  }

  /* A scenario that refuses the direct upgrade: which one, then what it
     offers instead (its `via` stops and its alternatives), as the scenario
     page and the version page say them. */
  function refusalBox(s, result) {
    var box = element("div", "refusal");
    box.appendChild(phrase("p", "note", "script-refused", { scenario: link(pageUrl("scenario", s.id), s.title) }));
    if (s.via.length) {
      var route = document.createDocumentFragment();
      s.via.forEach(function (node, i) {
        if (i) route.appendChild(document.createTextNode(t("script-then")));
        route.appendChild(link(engine.url(node), engine.title(node)));
      });
      var pathTo = finderLink(result.from, s.via[0], result.facts, t("script-path-to", { version: engine.title(s.via[0]) }));
      box.appendChild(phrase("p", "instead", "script-instead-go-through", { route: route, path: pathTo }));
    }
    if (s.alternatives.length) {
      box.appendChild(element("p", "instead", s.via.length ? t("script-other-ways") : t("script-instead-says")));
      var list = element("ul", "alternatives");
      s.alternatives.forEach(function (alternative) {
        var item = element("li");
        item.appendChild(element("strong", "", alternative.title));
        if (alternative.body) item.appendChild(prose("div", alternative.body));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    return box;
  }

  /* The notes of the products at both ends, each once: they hold for every
     version of their product, as version pages show them. */
  function productNotes(result) {
    var shown = [];
    [result.from, result.to].forEach(function (node) {
      var p = productOf(node), html = engine.notes(node);
      if (!html || shown.indexOf(p) >= 0) return;
      shown.push(p);
      var box = element("div", "note product-notes");
      box.appendChild(prose("div", html));
      box.setAttribute("role", "note");
      box.setAttribute("aria-label", t("script-notes-on", { product: core.products[p].name }));
      answerBox.appendChild(box);
    });
  }

  /* `plain` is the answer with nothing ticked, to compare routes with. */
  function showAnswer(result, conditions, plain) {
    answerBox.textContent = "";
    var from = result.from, to = result.to, route = result.route;
    answerBox.appendChild(element("h2", "", t("script-answer-heading", { from: engine.title(from), to: engine.title(to) })));
    answerBox.setAttribute("data-path", route ? route.map(engine.ref).join(" ") : "");
    var given = givenWords(conditions, result.facts, result.originally, from);
    if (given) answerBox.appendChild(element("p", "given", given));
    var blocking = blockingCount(result);
    var verdictKind = !route ? "no" : blocking ? "blocked" : "yes";
    answerBox.appendChild(element("p", "verdict " + verdictKind, verdictWords(route, blocking)));
    if (!route && !result.refusals.length) answerBox.appendChild(element("p", "note nothing-leads", nothingLeads(result)));
    result.refusals.forEach(function (s) { answerBox.appendChild(refusalBox(s, result)); });
    productNotes(result);
    if (given && plain && route && plain.route && plain.route.join() === route.join()) {
      /* Said so that "If …: a direct upgrade" does not read as "only if". */
      answerBox.appendChild(element("p", "meta same-route", t("script-same-route")));
    }
    if (!route || route.length < 2) return;
    var summary = element("p", "route");
    route.forEach(function (node, i) {
      if (i) summary.appendChild(document.createTextNode(" → "));
      summary.appendChild(link(engine.url(node), engine.title(node)));
    });
    answerBox.appendChild(summary);
    var runbook = element("p", "meta");
    runbook.appendChild(runbookLink(from, to, result.facts));
    answerBox.appendChild(runbook);
    var list = element("ol", "hops");
    result.hops.forEach(function (hop) { list.appendChild(hopItem(hop)); });
    answerBox.appendChild(list);
  }

  // ---- Start: the question in the URL, if any

  async function start() {
    var query = new URLSearchParams(window.location.search);
    ticked = factsNamed(query.getAll("if"));
    var fromName = query.get("from") || "", toName = query.get("to") || "";
    var originallyName = query.get("originally") || "";
    var from = fromName ? await engine.nodeIndex(fromName) : -1;
    var to = toName ? await engine.nodeIndex(toName) : -1;
    var originally = originallyName ? await engine.nodeIndex(originallyName) : -1;
    if (from >= 0) await pickers.from.showProduct(productOf(from), from);
    if (to >= 0) await pickers.to.showProduct(productOf(to), to);
    form.hidden = false;
    if (from < 0 || to < 0) {
      if (fromName || toName) {
        answerBox.appendChild(element("p", "note", t("script-unknown-version")));
      }
      return;
    }
    answerBox.appendChild(element("p", "meta", t("script-finding")));
    var found = await engine.choices(from, to, ticked, originally);
    showConditions(found.conditions);
    showOriginally(found.originally, from, originally);
    var answer = await engine.answer(from, to, ticked, originally);
    var plain = answer.route && (Object.keys(ticked).some(function (c) { return ticked[c]; }) || originally >= 0)
      ? await engine.answer(from, to, {}, -1)
      : null;
    showAnswer(answer, found.conditions, plain);
  }

  start().catch(function (error) {
    form.hidden = false;
    failed(error);
  });
})();
