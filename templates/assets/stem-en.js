/* upgrade-atlas: English stems for the search (search.js loads this file
   only on a site whose language is English, as it loads stem-de.js,
   stem-fr.js or stem-es.js for the others). */
(function () {
  "use strict";

  /* English stems: Porter2, Snowball's English stemmer, written from its
     published description (snowballstem.org/algorithms/english), as
     Snowball published it until its 2023 revision; the index stems its
     words with the same algorithm (stem() in src/plan/search_index/language.rs,
     the rust-stemmers crate) when the site's language is English, and says
     so in its manifest. tests/it/search_stems.rs compares the two on
     Snowball's own words (tests/fixtures/porter2). Words that are not all
     letters a to z are kept whole, as the index keeps them; so the
     algorithm's apostrophe handling (step 0) is left out. */
  var VOWEL = /[aeiouy]/;
  var DOUBLE = /(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/;
  /* Whole words with their own stems, and words left as they are. */
  var EXCEPTIONS = { skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie",
    idly: "idl", gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl",
    sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias",
    andes: "andes" };
  /* Left as they are after step 1a. */
  var KEPT_AFTER_1A = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];
  /* Steps 2 and 3: suffix to its replacement, when the suffix is in R1;
     "*" marks the suffixes with a condition of their own (in step23()). */
  var STEP2 = { tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent",
    izer: "ize", ization: "ize", ational: "ate", ation: "ate", ator: "ate", alism: "al",
    aliti: "al", alli: "al", fulness: "ful", ousli: "ous", ousness: "ous", iveness: "ive",
    iviti: "ive", biliti: "ble", bli: "ble", ogi: "*", fulli: "ful", lessli: "less", li: "*" };
  var STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic",
    ical: "ic", ful: "", ness: "", ative: "*" };
  /* Step 4: suffixes removed when in R2 ("ion" only after s or t). */
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
    "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

  function isVowel(c) { return VOWEL.test(c); }

  /* The longest of `suffixes` (an array or an object's keys) ending `w`. */
  function longest(w, suffixes) {
    var list = Array.isArray(suffixes) ? suffixes : Object.keys(suffixes);
    var best = "";
    list.forEach(function (s) {
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

  /* Whether w[0..end) ends in a short syllable: non-vowel, vowel,
     non-vowel other than w, x or Y; or vowel, non-vowel at the start. */
  function shortSyllable(w, end) {
    var a = w[end - 3], b = w[end - 2], c = w[end - 1];
    if (end === 2) return isVowel(b) && !isVowel(c);
    return end > 2 && !isVowel(a) && isVowel(b) && !isVowel(c) && "wxY".indexOf(c) < 0;
  }

  function stem(word) {
    if (!/^[a-z]+$/.test(word)) return word;
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    if (word.length < 3) return word;
    /* A y that begins the word or follows a vowel is a consonant: Y. */
    var w = word.replace(/^y/, "Y").replace(/([aeiouy])y/g, "$1Y");
    /* R1 starts after the first non-vowel following a vowel (after these
       prefixes, for the words they begin); R2 likewise within R1. */
    var prefix = /^(gener|commun|arsen)/.exec(w);
    var r1 = prefix ? prefix[0].length : regionAfter(w, 0);
    var r2 = regionAfter(w, r1);
    w = step1a(w);
    if (KEPT_AFTER_1A.indexOf(w) >= 0) return w;
    w = step1c(step1b(w, r1));
    w = step23(w, STEP2, r1, r2);
    w = step23(w, STEP3, r1, r2);
    w = step5(step4(w, r2), r1, r2);
    return w.replace(/Y/g, "y");
  }

  /* Step 1a: plurals. */
  function step1a(w) {
    var s = longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
    var base = w.slice(0, w.length - s.length);
    if (s === "sses") return base + "ss";
    /* "ties" to "tie", but "cries" to "cri". */
    if (s === "ied" || s === "ies") return base + (base.length > 1 ? "i" : "ie");
    /* An s goes when a vowel comes before the letter before it ("gaps",
       not "gas"). */
    if (s === "s" && VOWEL.test(base.slice(0, -1))) return base;
    return w;
  }

  /* Step 1b: past tenses, gerunds and their adverbs. */
  function step1b(w, r1) {
    var s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    var base = w.slice(0, w.length - s.length);
    if (s === "eed" || s === "eedly") return base.length >= r1 ? base + "ee" : w;
    if (!s || !VOWEL.test(base)) return w;
    if (/(at|bl|iz)$/.test(base)) return base + "e";
    /* "hopping" to "hop"; a short word takes back its e: "hoping" to "hope". */
    if (DOUBLE.test(base)) return base.slice(0, -1);
    if (base.length <= r1 && shortSyllable(base, base.length)) return base + "e";
    return base;
  }

  /* Step 1c: a final y after a consonant that is not the first letter is i. */
  function step1c(w) {
    var n = w.length;
    return n > 2 && /[yY]$/.test(w) && !isVowel(w[n - 2]) ? w.slice(0, -1) + "i" : w;
  }

  /* Steps 2 and 3: derivational suffixes in R1, replaced. */
  function step23(w, table, r1, r2) {
    var s = longest(w, table);
    var at = w.length - s.length;
    if (!s || at < r1) return w;
    var base = w.slice(0, at);
    if (s === "ogi") return base.slice(-1) === "l" ? base + "og" : w;
    /* li goes only after a valid li-ending. */
    if (s === "li") return /[cdeghkmnrt]$/.test(base) ? base : w;
    if (s === "ative") return at >= r2 ? base : w;
    return base + table[s];
  }

  /* Step 4: suffixes in R2, removed. */
  function step4(w, r2) {
    var s = longest(w, STEP4);
    var at = w.length - s.length;
    if (!s || at < r2) return w;
    if (s === "ion" && !/[st]$/.test(w.slice(0, at))) return w;
    return w.slice(0, at);
  }

  /* Step 5: a final e in R2, or in R1 after no short syllable; a final l
     in R2 after another l. */
  function step5(w, r1, r2) {
    var at = w.length - 1;
    var last = w[at];
    if (last === "e" && (at >= r2 || (at >= r1 && !shortSyllable(w, at)))) return w.slice(0, at);
    if (last === "l" && at >= r2 && w[at - 1] === "l") return w.slice(0, at);
    return w;
  }

  window.UpgradeAtlasStemmers = window.UpgradeAtlasStemmers || {};
  window.UpgradeAtlasStemmers.en = stem;
})();
