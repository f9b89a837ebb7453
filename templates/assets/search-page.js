/* upgrade-atlas search page: the results of search.js's engine, a page at
   a time with "Show more", the total count, what a misspelt word was
   replaced by, and filters by kind, product and severity. The filters are
   plain <select>s, which a keyboard and a phone already know how to use.
   The query and filters live in the address (?q=&kind=&product=&severity=),
   so that a search can be linked and comes back with the Back button. */
(function () {
  "use strict";

  var engine = window.UpgradeAtlasSearch;
  /* The element helpers every script of the site shares (common.js). */
  var common = window.UpgradeAtlasCommon;
  var input = document.getElementById("search-query");
  var results = document.getElementById("results");
  var filtersBox = document.getElementById("search-filters");
  if (!engine || !common || !input || !results) return;
  var PAGE = 10;
  var t = common.t;
  var FILTERS = [
    { name: "kind", label: t("script-filter-kind"), any: t("script-filter-any-kind"), list: "kinds" },
    { name: "product", label: t("script-filter-product"), any: t("script-filter-any-product"), list: "products" },
    { name: "severity", label: t("script-filter-severity"), any: t("script-filter-any-severity"), list: "severities" }
  ];
  var selects = {};
  var params = new URLSearchParams(window.location.search);

  /* The filters as the engine takes them: { kind: ["kissue"] ... }. */
  function chosenFilters() {
    var chosen = {};
    FILTERS.forEach(function (f) {
      var select = selects[f.name];
      var value = select ? select.value : params.get(f.name);
      if (value) chosen[f.name] = [value];
    });
    return chosen;
  }

  /* One labelled <select> a filter, from data/search/filters.js; a filter
     with a single choice is left out. */
  function buildFilters(lists) {
    if (!filtersBox) return;
    FILTERS.forEach(function (f) {
      var choices = lists[f.list] || [];
      if (choices.length < 2) return;
      var label = common.element("label", "", f.label + " ");
      var select = common.element("select");
      select.name = f.name;
      select.appendChild(new Option(f.any, ""));
      choices.forEach(function (choice) { select.appendChild(new Option(choice[1], choice[0])); });
      select.value = params.get(f.name) || "";
      select.addEventListener("change", function () { remember(); run(); });
      label.appendChild(select);
      filtersBox.appendChild(label);
      selects[f.name] = select;
    });
    if (!Object.keys(selects).length) filtersBox.textContent = t("script-filter-nothing");
  }

  function status(query, answer) {
    var text = "";
    answer.corrections.forEach(function (c) {
      text += t("script-search-corrected", { word: c[0], shown: c[1] }) + " ";
    });
    var replaced = {};
    answer.corrections.forEach(function (c) { replaced[c[0]] = c[1]; });
    var searched = answer.corrections.length
      ? engine.words(query).map(function (w) { return replaced[w] || w; }).join(" ") : query;
    if (answer.total) {
      return text + t("script-search-results", { count: answer.total, shown: engine.count(answer.total), query: searched });
    }
    if (answer.corrections.length) return text + t("script-search-no-match-all");
    var filtered = Object.keys(chosenFilters()).length;
    return t("script-search-none", { query: query }) + " " +
      (filtered ? t("script-search-try-unfiltered") : t("script-search-try-spelling"));
  }

  /* A result's kind in the site's language ("Issue" is script-kind-issue). */
  function kindWords(kind) {
    return t("script-kind-" + kind.toLowerCase());
  }

  function item(hit, query, matches) {
    var doc = hit.doc;
    var li = common.element("li");
    var link = common.element("a");
    link.href = engine.href(doc.u, query);
    engine.highlight(link, doc.t, matches);
    li.appendChild(link);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(common.element("span", "kind", kindWords(doc.k) + (doc.c ? " · " + doc.c : "")));
    /* A document without a text of its own (most issues) shows where it is. */
    var source = doc.b || doc.c;
    if (source) {
      var text = common.element("p", "snippet");
      engine.highlight(text, engine.snippet(source, matches), matches);
      li.appendChild(text);
    }
    return li;
  }

  /* Shows the answer's results from `from`, each as soon as it and those
     before it are loaded, then a button for more. */
  function showPage(query, answer, list, from, mine) {
    var matches = engine.matcher(answer.words.join(" "), true);
    return engine.page(answer, from, PAGE, function (hit) {
      if (mine === latest) list.appendChild(item(hit, query, matches));
    }).then(function (hits) {
      if (mine !== latest) return;
      var old = results.querySelector(".show-more");
      if (old) old.parentNode.removeChild(old);
      var next = from + hits.length;
      if (next < answer.total) {
        var more = common.element("button", "show-more",
          t("script-search-show-more", { shown: engine.count(next), total: engine.count(answer.total) }));
        more.type = "button";
        more.addEventListener("click", function () {
          more.disabled = true;
          showPage(query, answer, list, next, latest).then(function () {
            /* Keyboard readers carry on from the first new result. */
            var links = list.querySelectorAll("li > a");
            if (links[next]) links[next].focus();
          });
        });
        results.appendChild(more);
      }
    });
  }

  function show(query, answer, mine) {
    results.textContent = "";
    if (!engine.words(query).length) return Promise.resolve();
    results.appendChild(common.element("p", "search-status", status(query, answer)));
    if (!answer.total) return Promise.resolve();
    var list = results.appendChild(common.element("ol", "search-results"));
    return showPage(query, answer, list, 0, mine);
  }

  function remember() {
    try {
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value.trim());
      FILTERS.forEach(function (f) {
        var value = selects[f.name] && selects[f.name].value;
        if (value) url.searchParams.set(f.name, value); else url.searchParams.delete(f.name);
      });
      window.history.replaceState(null, "", url.toString());
    } catch (e) {
      /* Some browsers refuse history changes on file:// pages; the query still works. */
    }
  }

  /* Files arrive in any order: only the latest query's answer is shown. */
  var latest = 0;

  function run() {
    var query = input.value.trim();
    var mine = ++latest;
    engine.search(query, chosenFilters()).then(function (answer) {
      if (mine === latest) return show(query, answer, mine);
      return undefined;
    }).catch(function () {
      if (mine === latest) results.textContent = t("script-search-failed");
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    engine.prefetch(input.value);
    clearTimeout(timer);
    timer = setTimeout(function () { remember(); run(); }, engine.WAIT_MS);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember();
    run();
  });

  /* Arrow keys move between the input and the results; Escape goes back. */
  document.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(results.querySelectorAll(".search-results a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (at >= 0 || document.activeElement === input)) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus(); else links[at - 1].focus();
    } else if (event.key === "Escape" && at >= 0) {
      input.focus();
    }
  });

  /* The choices (every product's name) load when the reader opens the
     filters, or at once when the address names one. */
  var filtersOpener = document.getElementById("search-filters-box");
  var filtersAsked = false;
  function loadFilters() {
    if (filtersAsked) return;
    filtersAsked = true;
    engine.part("filters").then(buildFilters, function () { filtersAsked = false; });
  }
  if (filtersOpener) {
    filtersOpener.addEventListener("toggle", function () { if (filtersOpener.open) loadFilters(); });
    if (FILTERS.some(function (f) { return params.get(f.name); })) {
      filtersOpener.open = true;
      loadFilters();
    }
  }
  var initial = params.get("q");
  if (initial) {
    input.value = initial;
    run();
  } else {
    engine.prepare();
  }
})();
