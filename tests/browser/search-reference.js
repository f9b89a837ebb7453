/* The search as it was before the index was split: a scan of every document,
   kept as the reference the split index must agree with (tests/browser.rs).
   Its matching and ranking are those of templates/assets/search.js up to
   the split, unchanged. Usage: referenceSearch(documents, query) with the
   documents in site order; returns up to 50 { doc, inTitle, score }. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text)
      .split(/[^\p{L}\p{N}.]+/u)
      .map(function (w) { return w.replace(/^\.+|\.+$/g, ""); })
      .filter(Boolean);
  }

  function matchIn(list, term) {
    var best = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i] === term) return 2;
      if (best === 0 && list[i].indexOf(term) === 0) best = 1;
    }
    return best;
  }

  var prepared = new Map();

  function entries(documents) {
    if (!prepared.has(documents)) {
      prepared.set(documents, documents.map(function (doc, position) {
        return {
          doc: doc,
          position: position,
          title: words(doc.t),
          body: words(doc.b + " " + (doc.c || "") + " " + doc.k)
        };
      }));
    }
    return prepared.get(documents);
  }

  function search(documents, query) {
    var terms = words(query);
    if (!terms.length) return [];
    var found = [];
    entries(documents).forEach(function (entry) {
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
    return found.slice(0, 50).map(function (hit) {
      return { doc: hit.entry.doc, inTitle: hit.inTitle, score: hit.score };
    });
  }

  window.referenceSearch = search;
})();
