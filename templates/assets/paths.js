/* upgrade-atlas path finder's engine: computes the supported upgrade path in
   the page, with the same rules, search and tie-break as the generator
   (src/graph/), so that it works from file:// and needs no server. The
   finder's page is finder.js, its plans and runbooks stacks.js; what they
   share with the search is common.js.

   Its data comes in parts (src/plan/finder.rs): data/graph.js, a small core
   (conditions, page URL patterns, each product's id, name and number of
   versions), and data/graph/<product>.js, everything about one product and
   the scenarios that start from it. Parts are loaded with <script> tags as
   the breadth-first search reaches their products, so an answer loads only
   the part of the graph it needs.

   What the generator decides is read from the core, never repeated here:
   its limits, the order of severities, and each issue's markup, which the
   build rendered through the theme's partials/issue.html. */
(function () {
  "use strict";

  var core = window.UPGRADE_ATLAS_GRAPH;
  var common = window.UpgradeAtlasCommon;
  var statusLine = document.getElementById("finder-status");

  function say(text) {
    if (!statusLine) return;
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  /* The data format this script reads (FORMAT in src/plan/finder.rs): a
     theme's copy of an older script says the data did not load rather than
     misread newer data. */
  var FORMAT = 3;
  if (!core || core.format !== FORMAT || !common) {
    say(common.t("script-paths-no-data"));
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
    return common.lastAtOrBefore(firstNode, node);
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

  function loadPart(p) {
    var id = core.products[p].id;
    if (registry[id]) return Promise.resolve();
    return common.loadScript(common.root() + core.parts + id + ".js", function () { return registry[id]; });
  }

  /* A part with its indices resolved: issues and scenarios as objects (each
     issue with a key that names it in comparisons, and its markup, which
     the part holds beside its issues), and for each version the scenarios
     that start from it, in scenario id order. */
  var prepared = Object.create(null);

  function prepare(p) {
    if (prepared[p]) return prepared[p];
    var product = core.products[p];
    var raw = registry[product.id];
    var first = firstNode[p];
    var issues = (raw.issues || []).map(function (issue, i) {
      issue.key = p + "/" + i;
      issue.html = raw.html[i];
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
    /* How versions are numbered, and conditions by name and as a list,
       for finder.js and stacks.js. */
    productOf: productOf,
    firstNode: function (p) { return firstNode[p]; },
    factsNamed: factsNamed,
    factList: factList,
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
})();
