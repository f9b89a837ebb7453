/* upgrade-atlas path finder: computes the supported upgrade path in the page,
   with the same rules, search and tie-break as the generator (src/graph.rs),
   so that it works from file:// and needs no server.

   Its data comes in parts (src/plan/finder.rs): data/graph.js, a small core
   (conditions, page URL patterns, each product's id, name and number of
   versions), and data/graph/<product>.js, everything about one product and
   the scenarios that start from it. Parts are loaded with <script> tags as
   the breadth-first search reaches their products, so an answer loads only
   the part of the graph it needs.

   The choice lives in the URL (?from=&to=&if=&originally=) so answers can be
   shared. Text goes in with textContent; the only HTML inserted is the
   issue texts and steps, which the build rendered from Markdown exactly as
   it renders them on pages. */
(function () {
  "use strict";

  var core = window.UPGRADE_ATLAS_GRAPH;
  var root = (document.body && document.body.getAttribute("data-root")) || "";
  var statusLine = document.getElementById("finder-status");

  function say(text) {
    if (!statusLine) return;
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  /* The data format this script reads (FORMAT in src/plan/finder.rs): a
     theme's copy of an older script says the data did not load rather than
     misread newer data. */
  var FORMAT = 2;
  if (!core || core.format !== FORMAT) {
    say("The path finder’s data did not load. Each version’s page gives the same answers: find it in the upgrade matrix.");
    return;
  }
  var registry = window.UPGRADE_ATLAS_GRAPH_PARTS = window.UPGRADE_ATLAS_GRAPH_PARTS || {};

  /* Up to this many declared conditions, every combination of them is tried
     to find those that change an answer (as version pages do); past it, each
     alone and each added to or removed from the conditions ticked. The
     generator's limit, from its data. */
  var MAX_COMBINED_CONDITIONS = core.limits.combined_conditions;

  // ---- Versions are numbered product by product, oldest first ------------
  // As Rust's Model::nodes: a product's versions are contiguous node
  // numbers, oldest first. Below, node - first is a version's index, and
  // hopIssues walks node numbers where Rust walks version indices.

  var firstNode = [];
  var productIndex = Object.create(null);
  (function () {
    var next = 0;
    core.products.forEach(function (product, p) {
      firstNode.push(next);
      productIndex[product.id] = p;
      next += product.versions;
    });
  })();

  /* The product of a version: the last product that starts at or before it
     (a product without versions starts where the next one does). */
  function productOf(node) {
    var low = 0, high = firstNode.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (firstNode[middle] <= node) low = middle; else high = middle - 1;
    }
    return low;
  }

  // ---- Conditions ----------------------------------------------------------

  function holds(condition, facts) {
    if (!condition) return true;
    return (condition.when || []).every(function (c) { return facts[c]; }) &&
      !(condition.unless || []).some(function (c) { return facts[c]; });
  }

  function factList(facts) {
    return Object.keys(facts).filter(function (c) { return facts[c]; })
      .map(Number).sort(function (a, b) { return a - b; });
  }

  function factsOf(list) {
    var facts = {};
    list.forEach(function (c) { facts[c] = true; });
    return facts;
  }

  function factsNamed(names) {
    var facts = {};
    (names || []).forEach(function (name) {
      core.conditions.forEach(function (c, i) { if (c.name === name) facts[i] = true; });
    });
    return facts;
  }

  // ---- Loading and preparing parts -----------------------------------------

  var loading = Object.create(null);

  function loadPart(p) {
    var id = core.products[p].id;
    if (registry[id]) return Promise.resolve();
    if (!loading[id]) {
      loading[id] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + core.parts + id + ".js";
        script.onload = function () {
          if (registry[id]) resolve(); else reject(new Error(script.src + " holds no data for " + id));
        };
        script.onerror = function () {
          delete loading[id];
          reject(new Error("could not load " + script.src));
        };
        document.head.appendChild(script);
      });
    }
    return loading[id];
  }

  /* A part with its indices resolved: issues and scenarios as objects (each
     issue with a key that names it in comparisons), and for each version the
     scenarios that start from it, in scenario id order. */
  var prepared = Object.create(null);

  function prepare(p) {
    if (prepared[p]) return prepared[p];
    var product = core.products[p];
    var raw = registry[product.id];
    var first = firstNode[p];
    var issues = (raw.issues || []).map(function (issue, i) {
      issue.key = p + "/" + i;
      return issue;
    });
    var pick = function (indices) { return (indices || []).map(function (i) { return issues[i]; }); };
    var versions = raw.versions.map(function (v) {
      return { id: v.id, name: v.name || v.id, aliases: v.aliases || [], issues: pick(v.issues) };
    });
    var scenarios = (raw.scenarios || []).map(function (s) {
      return {
        id: s.id, title: s.title, supported: !s.unsupported, from: s.from, to: s.to,
        condition: s.condition, issues: pick(s.issues), steps: s.steps || [],
        via: s.via || [], alternatives: s.alternatives || []
      };
    });
    var leaving = versions.map(function () { return []; });
    scenarios.forEach(function (s) {
      s.from.forEach(function (node) { leaving[node - first].push(s); });
    });
    prepared[p] = {
      index: p, product: product, first: first, versions: versions,
      rules: raw.rules || [], leaving: leaving, notes: raw.notes || ""
    };
    return prepared[p];
  }

  // ---- The engine ----------------------------------------------------------

  /* An engine knows only the parts it asked for, so that an answer that
     reads a part it did not load fails instead of passing by luck. */
  function createEngine() {
    var admitted = {};
    var successorCache = {};

    /* Loads the parts of the products of these versions. */
    function need(nodes) {
      var missing = [];
      nodes.forEach(function (node) {
        var p = productOf(node);
        if (!admitted[p] && missing.indexOf(p) < 0) missing.push(p);
      });
      if (!missing.length) return Promise.resolve();
      return Promise.all(missing.map(loadPart)).then(function () {
        missing.forEach(function (p) { admitted[p] = prepare(p); });
      });
    }

    function part(node) {
      var found = admitted[productOf(node)];
      if (!found) throw new Error("the data of " + core.products[productOf(node)].id + " is not loaded");
      return found;
    }

    function version(node) {
      var here = part(node);
      return here.versions[node - here.first];
    }

    function ref(node) { return part(node).product.id + "@" + version(node).id; }

    function versionName(node) { return version(node).name; }

    /* "Product name version name"; a product's name alone when it has one version. */
    function title(node) {
      var here = part(node);
      return here.versions.length === 1 ? here.product.name : here.product.name + " " + version(node).name;
    }

    /* The notes of a version's product, as HTML; "" when it has none. */
    function notes(node) { return part(node).notes; }

    function url(node) {
      return core.urls.version.replace("{product}", part(node).product.id).replace("{version}", version(node).id);
    }

    /* A version by `product@id`, `product@alias`, or a product's id when it
       has a single version; -1 when there is none. */
    async function nodeIndex(name) {
      var at = name.indexOf("@");
      var p = productIndex[at < 0 ? name : name.slice(0, at)];
      if (p === undefined || !core.products[p].versions) return -1;
      var first = firstNode[p];
      if (at < 0) return core.products[p].versions === 1 ? first : -1;
      await need([first]);
      var wanted = name.slice(at + 1), versions = admitted[p].versions;
      for (var i = 0; i < versions.length; i++) if (versions[i].id === wanted) return first + i;
      for (var j = 0; j < versions.length; j++) if (versions[j].aliases.indexOf(wanted) >= 0) return first + j;
      return -1;
    }

    /* Stop order for the tie-break: product first (products are numbered in
       id order), then the newest version of a product first. */
    function rank(a, b) { return productOf(a) - productOf(b) || b - a; }

    /* The edges that leave a version when exactly `facts` hold, best first:
       its product's rules, less the upgrades a scenario refuses, plus those
       a scenario supports. */
    function successors(node, facts) {
      var key = factList(facts).join(",");
      var cache = successorCache[key] || (successorCache[key] = {});
      if (cache[node]) return cache[node];
      var here = part(node), v = node - here.first, list = [];
      here.rules.forEach(function (rule) {
        if (!holds(rule.condition, facts)) return;
        var members = rule.members, i = members.indexOf(v);
        if (i < 0) return;
        if (rule.policy === "sequential") {
          if (i + 1 < members.length) list.push(here.first + members[i + 1]);
          return;
        }
        // any-newer: up to the first stop after this version, never past it.
        var limit = Infinity;
        (rule.stops || []).forEach(function (stop) {
          if (holds(stop.condition, facts) && stop.version > v && stop.version < limit) limit = stop.version;
        });
        for (var j = i + 1; j < members.length && members[j] <= limit; j++) list.push(here.first + members[j]);
      });
      var leaving = here.leaving[v], refused = {};
      leaving.forEach(function (s) {
        if (!s.supported && holds(s.condition, facts)) s.to.forEach(function (to) { refused[to] = true; });
      });
      list = list.filter(function (to) { return !refused[to]; });
      leaving.forEach(function (s) {
        if (s.supported && holds(s.condition, facts)) s.to.forEach(function (to) { if (to !== node) list.push(to); });
      });
      list.sort(rank);
      cache[node] = list.filter(function (to, i) { return i === 0 || list[i - 1] !== to; });
      return cache[node];
    }

    /* Breadth-first search whose visiting order carries the tie-break: the
       first time a version is reached is by the preferred path. Each layer's
       parts are loaded before it is visited, so the search loads only the
       products it reaches before it reaches the target. */
    async function search(from, to, facts) {
      var parent = {}, seen = {};
      seen[from] = true;
      var layer = [from];
      while (layer.length && !seen[to]) {
        await need(layer);
        var next = [];
        layer.forEach(function (node) {
          successors(node, facts).forEach(function (s) {
            if (!seen[s]) { seen[s] = true; parent[s] = node; next.push(s); }
          });
        });
        layer = next;
      }
      if (!seen[to]) return null;
      var route = [to];
      while (route[0] !== from) route.unshift(parent[route[0]]);
      return route;
    }

    /* The supported scenarios behind a hop whose conditions hold, in id order. */
    function scenariosFor(a, b, facts) {
      var here = part(a);
      return here.leaving[a - here.first].filter(function (s) {
        return s.supported && holds(s.condition, facts) && s.to.indexOf(b) >= 0;
      });
    }

    /* Every issue a hop can carry under these facts, whatever the issue's own
       conditions and `originally` say: its scenarios' issues, then those of
       the versions it moves past, oldest first. */
    function hopIssues(a, b, facts) {
      var found = [];
      scenariosFor(a, b, facts).forEach(function (s) {
        s.issues.forEach(function (issue) { found.push({ issue: issue, origin: s }); });
      });
      var here = part(a);
      if (productOf(b) === here.index && a < b) {
        // The versions between a and b: node numbers, contiguous within a product.
        for (var v = a + 1; v <= b; v++) {
          version(v).issues.forEach(function (issue) { found.push({ issue: issue, origin: null, version: v }); });
        }
      }
      return found;
    }

    /* Each hop of a route with its scenarios and the issues that apply: an
       issue applies when its conditions hold and its `originally` names the
       version the server was first installed as (by default the route's
       start). */
    function hopDetails(route, facts, originally) {
      var start = originally === undefined || originally === null || originally < 0 ? route[0] : originally;
      var hops = [];
      for (var h = 0; h + 1 < route.length; h++) {
        var a = route[h], b = route[h + 1];
        var issues = hopIssues(a, b, facts).filter(function (found) {
          var o = found.issue.originally;
          return holds(found.issue.condition, facts) && (!o || o.indexOf(start) >= 0);
        });
        hops.push({ from: a, to: b, scenarios: scenariosFor(a, b, facts), issues: issues });
      }
      return hops;
    }

    /* The scenarios that refuse the direct upgrade under these facts. */
    function refusals(from, to, facts) {
      var here = part(from);
      return here.leaving[from - here.first].filter(function (s) {
        return !s.supported && holds(s.condition, facts) && s.to.indexOf(to) >= 0;
      });
    }

    /* The whole answer for one question. The stops a refusal recommends
       instead are loaded too, so that the answer can name them. */
    async function answer(from, to, facts, originally) {
      await need([from, to]);
      var route = await search(from, to, facts);
      var refused = refusals(from, to, facts);
      await need([].concat.apply([], refused.map(function (s) { return s.via; })));
      return {
        from: from, to: to, facts: facts, originally: originally, route: route,
        hops: route ? hopDetails(route, facts, originally) : null,
        refusals: refused
      };
    }

    /* Everything a reader would see change: route, scenarios and issues of each hop. */
    function signature(result) {
      if (!result.route) return "none";
      return JSON.stringify(result.hops.map(function (hop) {
        return [hop.from, hop.to, hop.scenarios.map(function (s) { return s.id; }),
          hop.issues.map(function (found) { return found.issue.key; })];
      }));
    }

    /* The conditions that change anything for this pair, and the versions
       the server may have been first installed as that change its issues. */
    async function choices(from, to, facts, originally) {
      var count = core.conditions.length, signatures = {};
      async function signatureOf(list) {
        var key = list.join(",");
        if (!(key in signatures)) signatures[key] = signature(await answer(from, to, factsOf(list), originally));
        return signatures[key];
      }
      var comparisons = [];
      if (count <= MAX_COMBINED_CONDITIONS) {
        for (var bits = 0; bits < (1 << count); bits++) {
          for (var c = 0; c < count; c++) {
            if (bits & (1 << c)) continue;
            comparisons.push([listOf(bits), listOf(bits | (1 << c)), c]);
          }
        }
      } else {
        var ticked = factList(facts);
        for (var d = 0; d < count; d++) {
          var without = ticked.filter(function (x) { return x !== d; });
          comparisons.push([[], [d], d]);
          comparisons.push([without, without.concat([d]).sort(function (x, y) { return x - y; }), d]);
        }
      }
      /* Past the combined limit, a ticked condition stays offered: it may
         matter together with one ticked later, and must stay in the form. */
      var offered = count <= MAX_COMBINED_CONDITIONS ? [] : factList(facts);
      for (var k = 0; k < comparisons.length; k++) {
        var [before, after, condition] = comparisons[k];
        if (offered.indexOf(condition) >= 0) continue;
        if (await signatureOf(before) !== await signatureOf(after)) offered.push(condition);
      }
      offered.sort(function (x, y) { return x - y; });
      var now = await answer(from, to, facts, originally), named = [];
      (now.hops || []).forEach(function (hop) {
        hopIssues(hop.from, hop.to, facts).forEach(function (found) {
          if (!found.issue.originally || !holds(found.issue.condition, facts)) return;
          found.issue.originally.forEach(function (node) {
            if (node !== from && named.indexOf(node) < 0) named.push(node);
          });
        });
      });
      named.sort(function (x, y) { return x - y; });
      await need(named);
      return { conditions: offered, originally: named };
    }

    function listOf(bits) {
      var list = [];
      for (var c = 0; c < core.conditions.length; c++) if (bits & (1 << c)) list.push(c);
      return list;
    }

    return {
      need: need, nodeIndex: nodeIndex, ref: ref, versionName: versionName, title: title, url: url,
      notes: notes,
      successors: successors, search: search, hopDetails: hopDetails,
      refusals: refusals, answer: answer, choices: choices
    };
  }

  /* The engine, for themes and tests. `answer(from, to, conditions,
     originally)` takes names (`product@version` or an alias, condition
     names) and resolves to { path, issues, hops, refusals }, or null when a
     version is unknown; `engine()` gives the lower-level pieces over version
     numbers. Each call to `answer` starts a fresh engine. */
  window.UpgradeAtlasPaths = {
    data: core,
    engine: createEngine,
    /* How versions are numbered, and conditions by name, for stacks.js. */
    productOf: productOf,
    firstNode: function (p) { return firstNode[p]; },
    factsNamed: factsNamed,
    answer: async function (fromName, toName, conditions, originallyName) {
      var engine = createEngine();
      var from = await engine.nodeIndex(fromName), to = await engine.nodeIndex(toName);
      var originally = originallyName ? await engine.nodeIndex(originallyName) : -1;
      if (from < 0 || to < 0 || (originallyName && originally < 0)) return null;
      var result = await engine.answer(from, to, factsNamed(conditions), originally);
      var issues = [];
      (result.hops || []).forEach(function (hop) {
        hop.issues.forEach(function (found) { issues.push(found.issue.title); });
      });
      return {
        path: result.route && result.route.map(engine.ref),
        issues: issues, hops: result.hops, refusals: result.refusals
      };
    }
  };

  // ---- The page --------------------------------------------------------------

  var form = document.getElementById("finder");
  var answerBox = document.getElementById("answer");
  var choicesBox = document.getElementById("finder-choices");
  if (!form || !answerBox || !choicesBox) return;

  var engine = createEngine();

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function link(url, text) {
    var a = element("a", "", text);
    a.href = root + url;
    return a;
  }

  /* HTML the build rendered from Markdown for this page. */
  function prose(tag, html) {
    var e = element(tag, "prose");
    e.innerHTML = html;
    return e;
  }

  function pageUrl(kind, id) { return core.urls[kind].replace("{" + kind + "}", id); }

  /* Severities by word: their rank (most serious first) and label, as
     the generator gives them. */
  var severityOrder = {}, severityLabel = {};
  core.severities.forEach(function (s, i) {
    severityOrder[s.word] = i;
    severityLabel[s.word] = s.label;
  });

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
      await engine.need([firstNode[p]]);
      if (mine !== picked) return;
      versionSelect.textContent = "";
      var count = core.products[p].versions;
      var pick = chosen >= 0 ? chosen : (side === "from" ? firstNode[p] : firstNode[p] + count - 1);
      for (var node = firstNode[p]; node < firstNode[p] + count; node++) {
        versionSelect.appendChild(new Option(engine.versionName(node), engine.ref(node), node === pick, node === pick));
      }
      versionSelect.disabled = false;
    }
    productSelect.addEventListener("change", function () {
      if (productSelect.value === "") {
        picked++;
        versionSelect.textContent = "";
        versionSelect.appendChild(new Option("Pick a product first", ""));
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
    say("The path finder could not load its data (" + error.message + ").");
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
        conditionsBox.appendChild(element("p", "meta", "None of the declared conditions changes the answer for these versions."));
      }
      return;
    }
    var set = element("fieldset", "conditions");
    set.appendChild(element("legend", "", "Conditions that change this answer"));
    set.appendChild(element("p", "meta", "Tick those that hold."));
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
    var label = element("label", "", "Originally installed as");
    label.htmlFor = "originally";
    var select = element("select");
    select.id = "originally";
    select.name = "originally";
    var now = !(originally >= 0 && originally !== from);
    select.appendChild(new Option("The version it runs now", "", now, now));
    choices.forEach(function (node) {
      var chosen = node === originally;
      select.appendChild(new Option(engine.title(node), engine.ref(node), chosen, chosen));
    });
    select.addEventListener("change", refreshChoices);
    line.appendChild(label);
    line.appendChild(document.createTextNode(" "));
    line.appendChild(select);
    originallyBox.appendChild(line);
    originallyBox.appendChild(element("p", "meta", "Some issues on this path depend on the version the server was first installed as."));
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
      say("Pick a product and a version on both sides.");
    }
  });

  // ---- The answer

  function givenWords(conditions, facts, originally, from) {
    var clauses = conditions.filter(function (c) { return facts[c]; })
      .map(function (c) { return core.conditions[c].clause; });
    if (originally >= 0 && originally !== from) clauses.push("the server was originally " + engine.title(originally));
    if (clauses.length) return "If " + clauses.join(" and ") + ":";
    if (conditions.length) return "If none of the conditions above holds:";
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
    if (!route) return "No supported upgrade path.";
    if (route.length === 1) return "Nothing to do: this is the same version.";
    var words = route.length === 2 ? "A direct upgrade" : (route.length - 1) + " hops";
    if (!blocking) return words + ".";
    return words + ", " + blocking + " blocking issue" + (blocking === 1 ? "" : "s") + " to resolve first.";
  }

  function issueItem(found) {
    var issue = found.issue;
    var li = element("li", "issue " + issue.severity);
    li.setAttribute("data-title", issue.title);
    var head = element("p", "issue-head");
    head.appendChild(element("span", "severity " + issue.severity, severityLabel[issue.severity]));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(element("strong", "", issue.title));
    li.appendChild(head);
    if (issue.only_if) li.appendChild(element("p", "condition", issue.only_if));
    if (issue.applies_if) li.appendChild(element("p", "condition", issue.applies_if));
    if (issue.body) li.appendChild(prose("div", issue.body));
    if (issue.components && issue.components.length) {
      var affects = element("p", "meta", "Affects: ");
      issue.components.forEach(function (c, i) {
        if (i) affects.appendChild(document.createTextNode(", "));
        affects.appendChild(link(pageUrl("component", c.id), c.name));
      });
      li.appendChild(affects);
    }
    var origin = element("p", "meta", "Raised by ");
    if (found.origin) origin.appendChild(link(pageUrl("scenario", found.origin.id), found.origin.title));
    else origin.appendChild(link(engine.url(found.version), "upgrades that pass through " + engine.title(found.version)));
    li.appendChild(origin);
    return li;
  }

  function hopItem(hop) {
    var item = element("li", "hop");
    var head = element("h3", "hop-head");
    head.appendChild(link(engine.url(hop.from), engine.title(hop.from)));
    head.appendChild(document.createTextNode(" → "));
    head.appendChild(link(engine.url(hop.to), engine.title(hop.to)));
    item.appendChild(head);
    if (!hop.scenarios.length) {
      item.appendChild(element("p", "meta", "Allowed by the upgrade rules of " + core.products[productOf(hop.from)].name + "."));
    }
    hop.scenarios.forEach(function (s) {
      var why = element("p", "meta", "Scenario: ");
      why.appendChild(link(pageUrl("scenario", s.id), s.title));
      item.appendChild(why);
      if (s.steps.length) {
        var steps = element("ol", "steps");
        s.steps.forEach(function (html) { steps.appendChild(prose("li", html)); });
        item.appendChild(steps);
      }
    });
    var issues = hop.issues.slice().sort(function (x, y) {
      return severityOrder[x.issue.severity] - severityOrder[y.issue.severity];
    });
    if (issues.length) {
      var list = element("ul", "issues");
      issues.forEach(function (found) { list.appendChild(issueItem(found)); });
      item.appendChild(list);
    }
    return item;
  }

  /* Why there is no path when no scenario refuses one: nothing leads there. */
  function nothingLeads(result) {
    var ticked = factList(result.facts).length > 0;
    return "No scenario or upgrade rule leads from " + engine.title(result.from) + " to " +
      engine.title(result.to) + (ticked ? " when these conditions hold." : ".");
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
    var a = questionLink("at", from, "goal", to, facts, "Follow it as a runbook");
    a.className = "runbook-link";
    return a;
  }

  /* A scenario that refuses the direct upgrade: which one, then what it
     offers instead (its `via` stops and its alternatives), as the scenario
     page and the version page say them. */
  function refusalBox(s, result) {
    var box = element("div", "refusal");
    var why = element("p", "note", "Not supported as a direct upgrade: ");
    why.appendChild(link(pageUrl("scenario", s.id), s.title));
    box.appendChild(why);
    if (s.via.length) {
      var via = element("p", "instead", "Instead: go through ");
      s.via.forEach(function (node, i) {
        if (i) via.appendChild(document.createTextNode(", then "));
        via.appendChild(link(engine.url(node), engine.title(node)));
      });
      via.appendChild(document.createTextNode(". "));
      via.appendChild(finderLink(result.from, s.via[0], result.facts, "The path to " + engine.title(s.via[0])));
      box.appendChild(via);
    }
    if (s.alternatives.length) {
      box.appendChild(element("p", "instead", s.via.length ? "Other ways, says the scenario:" : "Instead, says the scenario:"));
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
      box.setAttribute("aria-label", "Notes on " + core.products[p].name);
      answerBox.appendChild(box);
    });
  }

  /* `plain` is the answer with nothing ticked, to compare routes with. */
  function showAnswer(result, conditions, plain) {
    answerBox.textContent = "";
    var from = result.from, to = result.to, route = result.route;
    answerBox.appendChild(element("h2", "", "From " + engine.title(from) + " to " + engine.title(to)));
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
      answerBox.appendChild(element("p", "meta same-route", "The route is the same without these conditions; only the issues can differ."));
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
        answerBox.appendChild(element("p", "note", "That version is not in this knowledge base; pick one from the lists."));
      }
      return;
    }
    answerBox.appendChild(element("p", "meta", "Finding the path…"));
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
