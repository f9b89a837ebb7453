/* upgrade-atlas path finder: computes the supported upgrade path in the page
   from data/graph.js, with the same rules, search and tie-break as the
   generator (src/graph.rs), so that it works from file:// and needs no server.
   The choice lives in the URL (?from=&to=&if=) so answers can be shared. */
(function () {
  "use strict";

  var data = window.UPGRADE_ATLAS_GRAPH;
  if (!data) return;

  function holds(condition, facts) {
    return condition.when.every(function (c) { return facts[c]; }) &&
      !condition.unless.some(function (c) { return facts[c]; });
  }

  /* Stop order for the tie-break: product id first (products are sorted by
     id), then the newest version of a product first. */
  function rank(a, b) {
    var na = data.nodes[a], nb = data.nodes[b];
    return na.product - nb.product || nb.version - na.version;
  }

  function pairKey(a, b) { return a + ">" + b; }

  function edges(facts) {
    var successors = data.nodes.map(function () { return []; });
    data.products.forEach(function (product) {
      product.rules.forEach(function (rule) {
        if (!holds(rule.condition, facts)) return;
        var members = rule.members;
        if (rule.policy === "sequential") {
          for (var i = 0; i + 1 < members.length; i++) {
            successors[product.nodes[members[i]]].push(product.nodes[members[i + 1]]);
          }
        } else if (rule.policy === "any-newer") {
          var stops = rule.stops
            .filter(function (s) { return holds(s.condition, facts); })
            .map(function (s) { return s.version; })
            .sort(function (x, y) { return x - y; });
          members.forEach(function (from, i) {
            var limit = Infinity;
            for (var k = 0; k < stops.length; k++) {
              if (stops[k] > from) { limit = stops[k]; break; }
            }
            for (var j = i + 1; j < members.length && members[j] <= limit; j++) {
              successors[product.nodes[from]].push(product.nodes[members[j]]);
            }
          });
        }
      });
    });
    var refused = {};
    data.scenarios.forEach(function (s) {
      if (s.supported || !holds(s.condition, facts)) return;
      s.from.forEach(function (a) { s.to.forEach(function (b) { refused[pairKey(a, b)] = true; }); });
    });
    successors = successors.map(function (list, from) {
      return list.filter(function (to) { return !refused[pairKey(from, to)]; });
    });
    data.scenarios.forEach(function (s) {
      if (!s.supported || !holds(s.condition, facts)) return;
      s.from.forEach(function (a) {
        s.to.forEach(function (b) { if (a !== b) successors[a].push(b); });
      });
    });
    return successors.map(function (list) {
      list.sort(rank);
      return list.filter(function (node, i) { return i === 0 || list[i - 1] !== node; });
    });
  }

  /* Breadth-first search whose visiting order carries the tie-break: the
     first time a node is reached is by the preferred path. */
  function path(successors, from, to) {
    var parent = {};
    var seen = {};
    seen[from] = true;
    var layer = [from];
    while (layer.length && !seen[to]) {
      var next = [];
      layer.forEach(function (node) {
        successors[node].forEach(function (s) {
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

  /* The issues of each hop: covering scenarios' in id order, then those of
     the versions the hop moves past, oldest first. An issue is kept when its
     conditions hold and its `originally` names the version the server was
     first installed as (`originally`, by default the route's start). */
  function hopDetails(route, facts, originally) {
    var start = originally === undefined || originally < 0 ? route[0] : originally;
    var applies = function (index) {
      var issue = data.issues[index];
      var o = issue.originally;
      return holds(issue.condition, facts) && (!o || o.indexOf(start) >= 0);
    };
    var hops = [];
    for (var h = 0; h + 1 < route.length; h++) {
      var a = route[h], b = route[h + 1];
      var scenarios = data.scenarios.filter(function (s) {
        return s.supported && holds(s.condition, facts) && s.from.indexOf(a) >= 0 && s.to.indexOf(b) >= 0;
      });
      var issues = [];
      scenarios.forEach(function (s) {
        s.issues.filter(applies).forEach(function (i) { issues.push({ issue: i, origin: s }); });
      });
      var na = data.nodes[a], nb = data.nodes[b];
      if (na.product === nb.product && na.version < nb.version) {
        for (var v = a + 1; v <= b; v++) {
          data.nodes[v].issues.filter(applies).forEach(function (i) {
            issues.push({ issue: i, origin: null, version: v });
          });
        }
      }
      hops.push({ from: a, to: b, scenarios: scenarios, issues: issues });
    }
    return hops;
  }

  /* The engine, for themes and tests: edges(facts) with facts an object of
     condition indices, path(edges, from, to) and hopDetails(route, facts,
     originally) over node indices of data/graph.js. */
  window.UpgradeAtlasPaths = { edges: edges, path: path, hopDetails: hopDetails };

  var root = document.body.getAttribute("data-root") || "";
  var form = document.getElementById("finder");
  var answer = document.getElementById("answer");
  if (!form || !answer) return;

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

  var severityOrder = { blocking: 0, warning: 1, info: 2 };
  var severityLabel = { blocking: "Blocking", warning: "Warning", info: "Info" };

  function render(from, to, facts, names, originally) {
    answer.textContent = "";
    var given = names.slice();
    if (originally >= 0 && originally !== from) given.push("originally " + data.nodes[originally].title);
    var under = given.length ? " (" + given.join(", ") + ")" : "";
    var heading = element("h2", "", "From " + data.nodes[from].title + " to " + data.nodes[to].title);
    answer.appendChild(heading);
    var route = path(edges(facts), from, to);
    answer.setAttribute("data-path", route ? route.map(function (n) { return data.nodes[n].ref; }).join(" ") : "");
    /* Scenarios that refuse the direct upgrade explain the detour. */
    data.scenarios.forEach(function (s) {
      if (s.supported || !holds(s.condition, facts) || s.from.indexOf(from) < 0 || s.to.indexOf(to) < 0) return;
      var why = element("p", "note refusal", "Not supported as a direct upgrade: ");
      why.appendChild(link(s.url, s.title));
      answer.appendChild(why);
    });
    if (!route) {
      answer.appendChild(element("p", "verdict no", "No supported upgrade path" + under + "."));
      return;
    }
    if (route.length === 1) {
      answer.appendChild(element("p", "verdict yes", "Nothing to do: this is the same version."));
      return;
    }
    var hops = hopDetails(route, facts, originally);
    var count = route.length - 1;
    answer.appendChild(element("p", "verdict yes", count === 1 ? "A direct upgrade" + under + "." : count + " hops" + under + "."));
    var summary = element("p", "route");
    route.forEach(function (n, i) {
      if (i) summary.appendChild(document.createTextNode(" → "));
      summary.appendChild(link(data.nodes[n].url, data.nodes[n].title));
    });
    answer.appendChild(summary);
    var list = element("ol", "hops");
    hops.forEach(function (hop) {
      var item = element("li");
      var head = element("p", "hop-head");
      head.appendChild(link(data.nodes[hop.from].url, data.nodes[hop.from].title));
      head.appendChild(document.createTextNode(" → "));
      head.appendChild(link(data.nodes[hop.to].url, data.nodes[hop.to].title));
      item.appendChild(head);
      var why = element("p", "meta");
      if (hop.scenarios.length) {
        why.appendChild(document.createTextNode("Scenario: "));
        hop.scenarios.forEach(function (s, i) {
          if (i) why.appendChild(document.createTextNode(", "));
          why.appendChild(link(s.url, s.title));
        });
      } else {
        why.textContent = "Allowed by the upgrade rules of " + data.products[data.nodes[hop.from].product].name + ".";
      }
      item.appendChild(why);
      var issues = hop.issues.slice().sort(function (x, y) {
        return severityOrder[data.issues[x.issue].severity] - severityOrder[data.issues[y.issue].severity];
      });
      if (issues.length) {
        var ul = element("ul", "issues");
        issues.forEach(function (found) {
          var issue = data.issues[found.issue];
          var li = element("li", "issue " + issue.severity);
          li.setAttribute("data-title", issue.title);
          var p = element("p", "issue-head");
          p.appendChild(element("span", "severity " + issue.severity, severityLabel[issue.severity]));
          p.appendChild(document.createTextNode(" "));
          p.appendChild(element("strong", "", issue.title));
          li.appendChild(p);
          if (issue.components.length) {
            var affects = element("p", "meta", "Affects: ");
            issue.components.forEach(function (c, i) {
              if (i) affects.appendChild(document.createTextNode(", "));
              affects.appendChild(link(c.url, c.name));
            });
            li.appendChild(affects);
          }
          var origin = element("p", "meta", "From ");
          if (found.origin) origin.appendChild(link(found.origin.url, found.origin.title));
          else origin.appendChild(link(data.nodes[found.version].url, "moving past " + data.nodes[found.version].title));
          li.appendChild(origin);
          ul.appendChild(li);
        });
        item.appendChild(ul);
      }
      list.appendChild(item);
    });
    answer.appendChild(list);
  }

  /* A version named by id or by alias: "deb@11" or "deb@bullseye". */
  function nodeIndex(ref) {
    for (var i = 0; i < data.nodes.length; i++) if (data.nodes[i].ref === ref) return i;
    var at = ref.indexOf("@");
    if (at < 0) return -1;
    var product = ref.slice(0, at), name = ref.slice(at + 1);
    for (var j = 0; j < data.nodes.length; j++) {
      var node = data.nodes[j];
      if (data.products[node.product].id === product && (node.aliases || []).indexOf(name) >= 0) return j;
    }
    return -1;
  }

  var query = new URLSearchParams(window.location.search);
  var fromSelect = document.getElementById("from");
  var toSelect = document.getElementById("to");
  if (!query.get("to") && toSelect.options.length) toSelect.selectedIndex = toSelect.options.length - 1;
  var from = nodeIndex(query.get("from") || "");
  var to = nodeIndex(query.get("to") || "");
  if (from >= 0) fromSelect.value = data.nodes[from].ref;
  if (to >= 0) toSelect.value = data.nodes[to].ref;
  var facts = {};
  var names = [];
  query.getAll("if").forEach(function (name) {
    for (var c = 0; c < data.conditions.length; c++) {
      if (data.conditions[c].name === name && !facts[c]) {
        facts[c] = true;
        names.push(name);
        var box = document.getElementById("if-" + name);
        if (box) box.checked = true;
      }
    }
  });
  var originally = nodeIndex(query.get("originally") || "");
  var originallySelect = document.getElementById("originally");
  if (originallySelect && originally >= 0) originallySelect.value = data.nodes[originally].ref;
  if (from >= 0 && to >= 0) render(from, to, facts, names, originally);
  else if (query.get("from") || query.get("to")) {
    answer.appendChild(element("p", "note", "That version is not in this knowledge base; pick one from the lists."));
  }
})();
