/* The search as it was before the index was split: a scan of every document,
   kept as the reference the split index must agree with (tests/it/browser.rs).
   Its matching and ranking are those of templates/assets/search.js up to
   the split, with what came after: words as the index holds them (hyphenated
   words joined too, English stems; search.js's indexWords() and
   queryTerms()), product and version pages first among equals, and a
   word of the body said three times or more scoring above one said
   once or twice, and adjacent terms a title says side by side adding to the score.
   Usage: referenceSearch(documents, query, english) with the documents in
   site order; returns up to 50 { doc, inTitle, score }. */
(function () {
  "use strict";

  function engine() {
    return window.UpgradeAtlasSearch;
  }

  /* 2 for the term's own word, 1 for a longer one; in the body, 3 for
     its own word three times or more. */
  function matchIn(list, term, counted) {
    var best = 0;
    var times = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i] === term) times++;
      else if (best === 0 && list[i].indexOf(term) === 0) best = 1;
    }
    if (times) return counted && times >= 3 ? 3 : 2;
    return best;
  }

  /* Whether a text's words (as the index holds them, in order) say two
     terms side by side. */
  function saysSideBySide(sequence, first, second) {
    for (var i = 0; i + 1 < sequence.length; i++) {
      if (sequence[i] === first && sequence[i + 1] === second) return true;
    }
    return false;
  }

  function sequence(text, english) {
    return engine().terms(text, english);
  }

  var prepared = new Map();

  function entries(documents, english) {
    if (!prepared.has(documents)) {
      prepared.set(documents, documents.map(function (doc, position) {
        return {
          doc: doc,
          position: position,
          page: doc.k === "Product" || doc.k === "Version" ? 0 : 1,
          title: engine().indexWords(doc.t, english),
          body: engine().indexWords(doc.b + " " + (doc.c || "") + " " + doc.k, english),
          titleSequence: sequence(doc.t, english)
        };
      }));
    }
    return prepared.get(documents);
  }

  function search(documents, query, english) {
    if (!engine().words(query).length) return [];
    var terms = engine().queryTerms(query, english);
    var found = [];
    entries(documents, english).forEach(function (entry) {
      var inTitle = 0;
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = matchIn(entry.title, terms[i], false);
        var b = t ? 0 : matchIn(entry.body, terms[i], true);
        if (!t && !b) return;
        if (t) inTitle++;
        score += t ? 10 * t : b;
      }
      /* Adjacent terms the title says side by side add 5. */
      for (var j = 0; j + 1 < terms.length; j++) {
        if (saysSideBySide(entry.titleSequence, terms[j], terms[j + 1])) score += 5;
      }
      found.push({ entry: entry, inTitle: inTitle, score: score });
    });
    found.sort(function (a, b) {
      return b.inTitle - a.inTitle || b.score - a.score || a.entry.page - b.entry.page ||
        a.entry.doc.t.length - b.entry.doc.t.length || a.entry.position - b.entry.position;
    });
    return found.slice(0, 50).map(function (hit) {
      return { doc: hit.entry.doc, inTitle: hit.inTitle, score: hit.score };
    });
  }

  window.referenceSearch = search;
})();
