/* upgrade-atlas: German stems for the search (search.js loads this file
   only on a site whose language is German). Snowball's German stemmer,
   written from its published description (snowballstem.org/algorithms/
   german) as Snowball published it before its 2023 revision, which is the
   version the index stems with (the rust-stemmers crate, stem() in
   src/plan/search_index/language.rs). tests/it/search_stems.rs compares
   the two on Snowball's own German words (tests/fixtures/snowball). A word
   arrives lower-cased, letters a to z, ä, ö, ü and ß only. */
(function () {
  "use strict";

  var VOWELS = "aeiouyäöü";
  /* The letters an -s (step 1) or -st (step 2) may follow. */
  var S_ENDING = "bdfghklmnrt";
  var ST_ENDING = "bdfghklmnt";

  function isVowel(c) { return c !== undefined && VOWELS.indexOf(c) >= 0; }

  /* The longest of `suffixes` that ends `w`, or "". */
  function longest(w, suffixes) {
    var best = "";
    suffixes.forEach(function (s) {
      if (s.length > best.length && w.slice(-s.length) === s) best = s;
    });
    return best;
  }

  /* Where the region after the first non-vowel following a vowel starts,
     searching from `from`; the word's length when there is none. */
  function regionAfter(w, from) {
    for (var i = from + 1; i < w.length; i++) {
      if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
    }
    return w.length;
  }

  /* ß is ss; a u or y between vowels is a consonant, written U or Y, and
     stops being a vowel for the letters after it (Snowball marks them
     from left to right). */
  function prelude(word) {
    var w = word.replace(/ß/g, "ss").split("");
    for (var i = 1; i + 1 < w.length; i++) {
      if ((w[i] === "u" || w[i] === "y") && isVowel(w[i - 1]) && isVowel(w[i + 1])) {
        w[i] = w[i].toUpperCase();
      }
    }
    return w.join("");
  }

  /* Step 1: -em, -ern, -er; -e, -en, -es (and the s of a -niss left);
     -s after a valid s-ending. The suffix must be in R1. */
  function step1(w, r1) {
    var s = longest(w, ["em", "ern", "er", "e", "en", "es", "s"]);
    var at = w.length - s.length;
    if (!s || at < r1) return w;
    var base = w.slice(0, at);
    if (s === "s") return S_ENDING.indexOf(base.slice(-1)) >= 0 && base ? base : w;
    if ((s === "e" || s === "en" || s === "es") && /niss$/.test(base)) return base.slice(0, -1);
    return base;
  }

  /* Step 2: -en, -er, -est; -st after a valid st-ending that has at least
     three letters before it. The suffix must be in R1. */
  function step2(w, r1) {
    var s = longest(w, ["en", "er", "est", "st"]);
    var at = w.length - s.length;
    if (!s || at < r1) return w;
    if (s === "st") return at >= 4 && ST_ENDING.indexOf(w[at - 1]) >= 0 ? w.slice(0, at) : w;
    return w.slice(0, at);
  }

  /* Step 3: derivational suffixes in R2, each with what may go before it. */
  function step3(w, r1, r2) {
    var s = longest(w, ["end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"]);
    var at = w.length - s.length;
    if (!s || at < r2) return w;
    var base = w.slice(0, at);
    if (s === "end" || s === "ung") {
      return /ig$/.test(base) && base[at - 3] !== "e" && at - 2 >= r2 ? base.slice(0, -2) : base;
    }
    if (s === "ig" || s === "ik" || s === "isch") return base.slice(-1) === "e" ? w : base;
    if (s === "lich" || s === "heit") return /(er|en)$/.test(base) && at - 2 >= r1 ? base.slice(0, -2) : base;
    /* keit */
    var before = longest(base, ["lich", "ig"]);
    return before && at - before.length >= r2 ? base.slice(0, at - before.length) : base;
  }

  function stem(word) {
    var w = prelude(word);
    /* R1 has at least three letters before it. */
    var r1 = Math.max(regionAfter(w, 0), 3);
    var r2 = regionAfter(w, regionAfter(w, 0));
    w = step3(step2(step1(w, r1), r1), r1, r2);
    return w.replace(/U/g, "u").replace(/Y/g, "y").replace(/ä/g, "a").replace(/ö/g, "o").replace(/ü/g, "u");
  }

  window.UpgradeAtlasStemmers = window.UpgradeAtlasStemmers || {};
  window.UpgradeAtlasStemmers.de = stem;
})();
