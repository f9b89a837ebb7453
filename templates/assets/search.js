/* upgrade-atlas search: plain JavaScript, no library. The index is a script
   (data/search.js) added on first use, because browsers refuse fetch() on
   file:// pages. Matching is by word prefix, case- and accent-insensitive;
   title hits rank above body hits. */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  var input = document.getElementById("search-query");
  var results = document.getElementById("results");
  if (!input || !results) return;

  var docs = null;
  var waiting = [];

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text)
      .split(/[^\p{L}\p{N}.]+/u)
      .map(function (w) { return w.replace(/^\.+|\.+$/g, ""); })
      .filter(Boolean);
  }

  function withIndex(then) {
    if (docs) return then();
    waiting.push(then);
    if (waiting.length > 1) return;
    var script = document.createElement("script");
    script.src = root + "data/search.js";
    script.onload = function () {
      docs = (window.UPGRADE_ATLAS_SEARCH || []).map(function (doc, position) {
        return {
          doc: doc,
          position: position,
          title: words(doc.t),
          body: words(doc.b + " " + (doc.c || "") + " " + doc.k)
        };
      });
      waiting.splice(0).forEach(function (f) { f(); });
    };
    script.onerror = function () {
      results.textContent = "The search index could not be loaded.";
    };
    document.head.appendChild(script);
  }

  function matchIn(list, term) {
    var best = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i] === term) return 2;
      if (best === 0 && list[i].indexOf(term) === 0) best = 1;
    }
    return best;
  }

  function search(query) {
    var terms = words(query);
    if (!terms.length) return [];
    var found = [];
    docs.forEach(function (entry) {
      var inTitle = 0;
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = matchIn(entry.title, terms[i]);
        var b = t ? 0 : matchIn(entry.body, terms[i]);
        if (!t && !b) return;
        if (t) inTitle++;
        score += t ? 10 * t : b;
      }
      found.push({ entry: entry, inTitle: inTitle, score: score });
    });
    found.sort(function (a, b) {
      return b.inTitle - a.inTitle || b.score - a.score ||
        a.entry.doc.t.length - b.entry.doc.t.length || a.entry.position - b.entry.position;
    });
    return found.slice(0, 50);
  }

  /* Appends text to an element with every word that starts with a term marked. */
  function highlight(element, text, terms) {
    var pattern = /[\p{L}\p{N}.]+/gu;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var lead = match[0].length - match[0].replace(/^\.+/, "").length;
      var shown = match[0].slice(lead).replace(/\.+$/, "");
      var word = fold(shown);
      var hit = word && terms.some(function (t) { return word.indexOf(t) === 0; });
      if (!hit) continue;
      var start = match.index + lead;
      element.appendChild(document.createTextNode(text.slice(last, start)));
      var mark = document.createElement("mark");
      mark.textContent = shown;
      element.appendChild(mark);
      last = start + shown.length;
    }
    element.appendChild(document.createTextNode(text.slice(last)));
  }

  function snippet(text, terms) {
    var folded = fold(text);
    var at = -1;
    terms.forEach(function (t) {
      var i = folded.search(new RegExp("(^|[^\\p{L}\\p{N}])" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u"));
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    if (at < 0) return text.length > 180 ? text.slice(0, 180) + "…" : text;
    var start = Math.max(0, at - 60);
    var end = Math.min(text.length, at + 120);
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  /* Index URLs are written from the site root, already in the site's URL style. */
  function href(url) {
    return root + url;
  }

  function show(query) {
    results.textContent = "";
    var terms = words(query);
    if (!terms.length) return;
    var found = search(query);
    var status = document.createElement("p");
    status.className = "search-status";
    status.textContent = found.length
      ? found.length + (found.length === 1 ? " result" : " results") + " for “" + query + "”"
      : "No results for “" + query + "”. Try fewer or shorter words.";
    results.appendChild(status);
    if (!found.length) return;
    var list = document.createElement("ol");
    list.className = "search-results";
    found.forEach(function (hit) {
      var doc = hit.entry.doc;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = href(doc.u);
      highlight(link, doc.t, terms);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = doc.k + (doc.c ? " · " + doc.c : "");
      var text = document.createElement("p");
      text.className = "snippet";
      highlight(text, snippet(doc.b, terms), terms);
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(kind);
      if (doc.b) item.appendChild(text);
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  function remember(query) {
    try {
      var url = new URL(window.location.href);
      url.searchParams.set("q", query);
      window.history.replaceState(null, "", url.toString());
    } catch (e) {
      /* Some browsers refuse history changes on file:// pages; the query still works. */
    }
  }

  function run() {
    var query = input.value.trim();
    withIndex(function () { show(query); });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { remember(input.value.trim()); run(); }, 120);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    remember(input.value.trim());
    run();
  });

  /* Arrow keys move between the input and the results; Escape goes back. */
  document.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(results.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus(); else links[at - 1].focus();
    } else if (event.key === "Escape" && at >= 0) {
      input.focus();
    }
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    var header = document.getElementById("site-search");
    if (header) header.value = initial;
    run();
  }
})();
