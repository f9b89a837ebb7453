/* upgrade-atlas plans and runbooks in the path finder (format 1.2).

   A plan moves the members of a stack one at a time, each along an upgrade
   the path finder would take, so that every combination on the way keeps
   every requirement. The search is the generator's (src/graph/stacks.rs):
   breadth-first over combinations ("states"), each state's moves tried in
   the spec's tie-break order (the member listed first, then the version the
   path finder prefers), so the first plan found is the preferred one. With
   one member a plan is the path finder's route; that is the runbook of a
   route.

   The question lives in the URL (?at=p@v&at=q@w&goal=p@x&goal=q@y&if=c), so
   a runbook can be shared, printed, and linked from version pages. Its
   ticks are kept in this browser, per runbook. It uses the path finder's
   engine (paths.js) for edges and issues; the requirements come from the
   same data parts. Text goes in with textContent; the only HTML inserted is
   what the build rendered: steps from Markdown, and issues through the
   theme's partials/issue.html (common.js). */
(function () {
  "use strict";

  var paths = window.UpgradeAtlasPaths;
  var common = window.UpgradeAtlasCommon;
  var registry = window.UPGRADE_ATLAS_GRAPH_PARTS;
  if (!paths || !common || !registry) return;
  var core = paths.data;
  /* Where the search gives up: MAX_PLAN_STATES in src/graph/stacks.rs,
     from the data. */
  var MAX_STATES = core.limits.plan_states;

  /* Versions are numbered product by product, oldest first, as paths.js
     and the generator's model number them. */
  var productOf = paths.productOf, firstNode = paths.firstNode, factsNamed = paths.factsNamed;

  /* The versions of `product` that a version accepts beside it, from the
     raw part (paths.js keeps only what paths need). */
  function requirements(node) {
    var p = productOf(node);
    var raw = registry[core.products[p].id];
    return raw.versions[node - firstNode(p)].requires || [];
  }

  function valid(state) {
    return state.every(function (node) {
      return requirements(node).every(function (r) {
        return state.every(function (other) {
          return other === node || productOf(other) !== r.product || r.versions.indexOf(other) >= 0;
        });
      });
    });
  }

  /* The moves out of a state, best first, with the states they lead to. */
  function moves(engine, state, facts) {
    var found = [];
    state.forEach(function (from, member) {
      engine.successors(from, facts).forEach(function (to) {
        var product = productOf(to);
        var taken = state.some(function (n, other) { return other !== member && productOf(n) === product; });
        if (taken) return;
        var next = state.slice();
        next[member] = to;
        found.push({ step: { member: member, from: from, to: to }, state: next });
      });
    });
    return found;
  }

  /* The preferred plan from `start` to `goal` (arrays of version numbers),
     as { states, moves }, or { none: why }. */
  async function plan(engine, start, goal, facts) {
    await engine.need(start.concat(goal));
    if (!valid(start)) return { none: common.t("script-no-plan-start") };
    if (!valid(goal)) return { none: common.t("script-no-plan-goal") };
    var key = function (state) { return state.join(","); };
    var reached = [{ state: start, cameFrom: null }], index = {};
    index[key(start)] = 0;
    var layerStart = 0, layerEnd = 1;
    while (layerStart < layerEnd) {
      var layer = reached.slice(layerStart, layerEnd);
      var nodes = [];
      layer.forEach(function (r) { nodes = nodes.concat(r.state); });
      await engine.need(nodes);
      var candidates = [];
      for (var i = 0; i < layer.length; i++) {
        var at = layerStart + i;
        if (key(reached[at].state) === key(goal)) return planTo(reached, at);
        moves(engine, reached[at].state, facts).forEach(function (m) { candidates.push([at, m]); });
      }
      await engine.need(candidates.map(function (c) { return c[1].step.to; }));
      candidates.forEach(function (c) {
        var k = key(c[1].state);
        if (k in index) return;
        if (!valid(c[1].state)) { index[k] = -1; return; }
        if (reached.length >= MAX_STATES) throw new Error("the plan's search passed " + MAX_STATES + " states");
        index[k] = reached.length;
        reached.push({ state: c[1].state, cameFrom: [c[0], c[1].step] });
      });
      layerStart = layerEnd;
      layerEnd = reached.length;
    }
    return { none: common.t("script-no-plan-order") };
  }

  function planTo(reached, at) {
    var states = [reached[at].state], steps = [];
    while (reached[at].cameFrom) {
      steps.unshift(reached[at].cameFrom[1]);
      at = reached[at].cameFrom[0];
      states.unshift(reached[at].state);
    }
    return { states: states, moves: steps };
  }

  /* Each move with what `path` gives for its one hop, the member's start
     as where it was first installed. */
  function details(engine, result, facts) {
    var start = result.states[0];
    return result.moves.map(function (step) {
      var hop = engine.hopDetails([step.from, step.to], facts, start[step.member])[0];
      return { step: step, scenarios: hop.scenarios, issues: hop.issues };
    });
  }

  /* For tests and themes: the plan by names, as `plan --json` gives it. */
  window.UpgradeAtlasPlans = {
    plan: async function (atNames, goalNames, conditions) {
      var engine = paths.engine();
      var at = [], goal = [];
      for (var a of atNames) at.push(await engine.nodeIndex(a));
      for (var g of goalNames) goal.push(await engine.nodeIndex(g));
      if (at.concat(goal).some(function (n) { return n < 0; })) return null;
      var facts = factsNamed(conditions);
      var result = await plan(engine, at, goal, facts);
      if (result.none) return { states: null, issues: [] };
      var issues = [];
      details(engine, result, facts).forEach(function (move) {
        move.issues.forEach(function (found) { issues.push(found.issue.title); });
      });
      return {
        states: result.states.map(function (s) { return s.map(engine.ref); }),
        issues: issues
      };
    }
  };

  // ---- The page ------------------------------------------------------------

  var box = document.getElementById("runbook");
  if (!box) return;

  var element = common.element, link = common.link, prose = common.prose;
  var t = common.t, phrase = common.phrase;

  function moveItem(engine, move, number) {
    var li = element("li", "runbook-move");
    var head = element("h3", "", number + ". ");
    head.appendChild(link(engine.url(move.step.from), engine.title(move.step.from)));
    head.appendChild(document.createTextNode(" → "));
    head.appendChild(link(engine.url(move.step.to), engine.title(move.step.to)));
    li.appendChild(head);
    var issues = common.bySeverity(core, move.issues);
    if (issues.length) {
      li.appendChild(element("p", "runbook-label", t("script-before-you-start")));
      var list = element("ul", "issues");
      issues.forEach(function (found) { list.appendChild(common.issueElement(found.issue)); });
      li.appendChild(list);
    }
    if (!move.scenarios.length) {
      li.appendChild(element("p", "meta", t("script-by-rules")));
    }
    move.scenarios.forEach(function (s) {
      if (!s.steps.length) return;
      var scenario = link(core.urls.scenario.replace("{scenario}", s.id), s.title);
      li.appendChild(phrase("p", "runbook-label", "script-steps-from", { scenario: scenario }));
      var steps = element("ol", "checklist");
      s.steps.forEach(function (html, i) {
        var item = element("li");
        var id = "step-" + number + "-" + s.id.replace(/[^a-z0-9-]/gi, "-") + "-" + (i + 1);
        var input = element("input");
        input.type = "checkbox";
        input.id = id;
        input.setAttribute("aria-labelledby", id + "-text");
        var text = prose("div", html);
        text.id = id + "-text";
        item.appendChild(input);
        item.appendChild(text);
        steps.appendChild(item);
      });
      li.appendChild(steps);
    });
    return li;
  }

  async function show(atNames, goalNames, conditions) {
    var engine = paths.engine();
    var at = [], goal = [];
    for (var a of atNames) at.push(await engine.nodeIndex(a));
    for (var g of goalNames) goal.push(await engine.nodeIndex(g));
    box.textContent = "";
    if (!at.length || at.length !== goal.length || at.concat(goal).some(function (n) { return n < 0; })) {
      box.appendChild(element("p", "note", t("script-runbook-unknown")));
      return;
    }
    var facts = factsNamed(conditions);
    var result = await plan(engine, at, goal, facts);
    var title = function (state) { return state.map(engine.title).join(" + "); };
    box.appendChild(element("h2", "", t("script-runbook-heading", { from: title(at), to: title(goal) })));
    if (conditions.length) box.appendChild(element("p", "given", t("script-given", { when: conditions.map(function (c) {
      var i = core.conditions.findIndex(function (d) { return d.name === c; });
      return i >= 0 ? core.conditions[i].clause : c;
    }).join(" " + t("script-and") + " ") })));
    if (result.none) {
      box.appendChild(element("p", "verdict no", t("script-no-plan", { reason: result.none })));
      return;
    }
    box.setAttribute("data-states", result.states.map(function (s) { return s.map(engine.ref).join("+"); }).join(" "));
    var count = result.moves.length;
    box.appendChild(element("p", "verdict yes", count === 0 ? t("script-nothing-to-do") : t("script-moves", { count: count })));
    box.appendChild(element("p", "meta", t("script-runbook-intro")));
    var checklistKey = "finder:" + atNames.join("+") + ">" + goalNames.join("+") + "|" + conditions.join(",");
    var list = element("ol", "runbook-moves");
    details(engine, result, facts).forEach(function (move, i) { list.appendChild(moveItem(engine, move, i + 1)); });
    /* Its ticks are kept per runbook, under the question (site.js). */
    var runbook = element("div", "runbook");
    runbook.setAttribute("data-runbook", checklistKey);
    runbook.appendChild(list);
    box.appendChild(runbook);
    if (window.UpgradeAtlasRunbookTicks) window.UpgradeAtlasRunbookTicks(box);
    if (window.UpgradeAtlasCopyButtons) window.UpgradeAtlasCopyButtons(runbook);
  }

  /* The stack form: a stack, then a version to start from and one to
     reach for each member; submitting puts the question in the URL. */
  async function stackForm(query) {
    var form = document.getElementById("stack-finder");
    if (!form || !core.stacks || !core.stacks.length) return;
    var engine = paths.engine();
    var stackSelect = form.querySelector("#stack");
    core.stacks.forEach(function (stack) {
      var option = element("option", "", stack.name);
      option.value = stack.id;
      stackSelect.appendChild(option);
    });
    var members = form.querySelector("#stack-members");
    async function showMembers(at, goal) {
      members.textContent = "";
      var stack = core.stacks.find(function (s) { return s.id === stackSelect.value; });
      if (!stack) return;
      await engine.need(stack.members.map(function (p) { return firstNode(p); }));
      stack.members.forEach(function (p, i) {
        var product = core.products[p];
        var set = element("fieldset");
        set.appendChild(element("legend", "", product.name));
        [["at", t("script-now"), at[i], 0], ["goal", t("script-to-reach"), goal[i], product.versions - 1]].forEach(function (side) {
          var id = side[0] + "-" + product.id;
          var row = element("p");
          var label = element("label", "", side[1] + " ");
          label.htmlFor = id;
          var select = element("select");
          select.id = id;
          select.name = side[0];
          for (var v = 0; v < product.versions; v++) {
            var node = firstNode(p) + v;
            var option = element("option", "", engine.versionName(node));
            option.value = engine.ref(node);
            select.appendChild(option);
          }
          select.value = side[2] || engine.ref(firstNode(p) + side[3]);
          row.appendChild(label);
          row.appendChild(select);
          set.appendChild(row);
        });
        members.appendChild(set);
      });
    }
    var conditions = form.querySelector("#stack-conditions");
    core.conditions.forEach(function (c) {
      var row = element("p");
      var input = element("input");
      input.type = "checkbox";
      input.name = "if";
      input.value = c.name;
      input.id = "stack-if-" + c.name;
      input.checked = query.getAll("if").indexOf(c.name) >= 0;
      var label = element("label", "", " " + c.description);
      label.htmlFor = input.id;
      row.appendChild(input);
      row.appendChild(label);
      conditions.appendChild(row);
    });
    stackSelect.value = query.get("stack") || core.stacks[0].id;
    stackSelect.addEventListener("change", function () { showMembers([], []); });
    await showMembers(query.getAll("at"), query.getAll("goal"));
    form.hidden = false;
  }

  var query = new URLSearchParams(window.location.search);
  stackForm(query).catch(function (error) {
    box.hidden = false;
    box.textContent = common.t("script-stack-failed", { error: error.message });
  });
  if (query.getAll("at").length) {
    box.hidden = false;
    show(query.getAll("at"), query.getAll("goal"), query.getAll("if")).catch(function (error) {
      box.textContent = "";
      box.appendChild(element("p", "note", common.t("script-runbook-failed", { error: error.message })));
    });
  }
})();
