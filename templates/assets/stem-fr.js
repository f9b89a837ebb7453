/* upgrade-atlas: French stems for the search (search.js loads this file
   only on a site whose language is French). Snowball's French stemmer,
   written from its published description (snowballstem.org/algorithms/
   french) as Snowball published it before its 2023 revision, which is the
   version the index stems with (the rust-stemmers crate, stem() in
   src/plan/search_index/language.rs). tests/it/search_stems.rs compares
   the two on Snowball's own French words (tests/fixtures/snowball). A word
   arrives lower-cased, in letters the index lets through (a to z and the
   accented letters of French). Letters the prelude makes consonants are
   written in capitals (U, I, Y) until the end. */
(function () {
  "use strict";

  var VOWELS = "aeiouyâàëéêèïîôûù";

  function isVowel(c) { return c !== undefined && VOWELS.indexOf(c) >= 0; }

  function longest(w, suffixes) {
    var best = "";
    suffixes.forEach(function (s) {
      if (s.length > best.length && w.slice(-s.length) === s) best = s;
    });
    return best;
  }

  /* The longest of `suffixes` that ends `w` and starts at `from` or
     later: steps 2a, 2b and 4 see only RV, so a longer suffix that
     reaches before it leaves the shorter one to match. */
  function longestIn(w, suffixes, from) {
    return longest(w, suffixes.filter(function (s) { return w.length - s.length >= from; }));
  }

  function regionAfter(w, from) {
    for (var i = from + 1; i < w.length; i++) {
      if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
    }
    return w.length;
  }

  /* From left to right: a u or i between vowels, a y next to a vowel and
     a u after q are consonants. */
  function prelude(word) {
    var w = word.split("");
    for (var i = 0; i < w.length; i++) {
      var next = w[i + 1];
      if (isVowel(w[i]) && (next === "u" || next === "i") && isVowel(w[i + 2])) w[i + 1] = next.toUpperCase();
      else if (isVowel(w[i]) && next === "y") w[i + 1] = "Y";
      else if (w[i] === "y" && isVowel(next)) w[i] = "Y";
      else if (w[i] === "q" && next === "u") w[i + 1] = "U";
    }
    return w.join("");
  }

  /* RV: after the third letter of a word that starts with two vowels,
     after par-, col- or tap-, or else after the first vowel that is not
     the first letter. */
  function regionRV(w) {
    if (/^(par|col|tap)/.test(w)) return 3;
    if (isVowel(w[0]) && isVowel(w[1])) return Math.min(3, w.length);
    for (var i = 1; i < w.length; i++) {
      if (isVowel(w[i])) return i + 1;
    }
    return w.length;
  }

  /* Step 1's suffixes, by what they do (see step1()). */
  var STEP1 = {
    ance: "r2", iqUe: "r2", isme: "r2", able: "r2", iste: "r2", eux: "r2", ances: "r2", iqUes: "r2",
    ismes: "r2", ables: "r2", istes: "r2",
    atrice: "ateur", ateur: "ateur", ation: "ateur", atrices: "ateur", ateurs: "ateur", ations: "ateur",
    logie: "logie", logies: "logie", usion: "usion", ution: "usion", usions: "usion", utions: "usion",
    ence: "ence", ences: "ence", ement: "ement", ements: "ement", "ité": "ite", "ités": "ite",
    if: "if", ive: "if", ifs: "if", ives: "if", eaux: "eaux", aux: "aux", euse: "euse", euses: "euse",
    issement: "issement", issements: "issement", amment: "amment", emment: "emment", ment: "ment",
    ments: "ment"
  };

  /* Step 1: standard suffixes. Returns { w, done } where done says the
     step counts as having removed an ending (steps 2a and 2b are then
     skipped), or null when nothing was done. */
  function step1(w, r) {
    var s = longest(w, Object.keys(STEP1));
    if (!s) return null;
    var at = w.length - s.length;
    var base = w.slice(0, at);
    var rule = STEP1[s];
    var inR2 = at >= r.r2;
    var done = function (result) { return { w: result, done: true }; };
    if (rule === "r2") return inR2 ? done(base) : null;
    if (rule === "ateur") return inR2 ? done(dropIc(base, r)) : null;
    if (rule === "logie") return inR2 ? done(base + "log") : null;
    if (rule === "usion") return inR2 ? done(base + "u") : null;
    if (rule === "ence") return inR2 ? done(base + "ent") : null;
    if (rule === "ement") return at >= r.rv ? done(afterEment(base, r)) : null;
    if (rule === "ite") return inR2 ? done(afterIte(base, r)) : null;
    if (rule === "if") return inR2 ? done(afterIf(base, r)) : null;
    if (rule === "eaux") return done(base + "eau");
    if (rule === "aux") return at >= r.r1 ? done(base + "al") : null;
    if (rule === "euse") {
      if (inR2) return done(base);
      return at >= r.r1 ? done(base + "eux") : null;
    }
    if (rule === "issement") return at >= r.r1 && !isVowel(base.slice(-1)) ? done(base) : null;
    /* After these, steps 2a and 2b still run. */
    if (rule === "amment") return at >= r.rv ? { w: base + "ant", done: false } : null;
    if (rule === "emment") return at >= r.rv ? { w: base + "ent", done: false } : null;
    return isVowel(base.slice(-1)) && at - 1 >= r.rv ? { w: base, done: false } : null;
  }

  /* -ic before -ation and its kin: removed in R2, else -iqU. */
  function dropIc(base, r) {
    if (!/ic$/.test(base)) return base;
    return base.length - 2 >= r.r2 ? base.slice(0, -2) : base.slice(0, -2) + "iqU";
  }

  function afterEment(base, r) {
    var at = base.length;
    if (/iv$/.test(base)) {
      if (at - 2 < r.r2) return base;
      base = base.slice(0, -2);
      return /at$/.test(base) && at - 4 >= r.r2 ? base.slice(0, -2) : base;
    }
    if (/eus$/.test(base)) {
      if (at - 3 >= r.r2) return base.slice(0, -3);
      return at - 3 >= r.r1 ? base.slice(0, -3) + "eux" : base;
    }
    if (/(abl|iqU)$/.test(base)) return at - 3 >= r.r2 ? base.slice(0, -3) : base;
    if (/[iI]èr$/.test(base)) return at - 3 >= r.rv ? base.slice(0, -3) + "i" : base;
    return base;
  }

  function afterIte(base, r) {
    var at = base.length;
    if (/abil$/.test(base)) return at - 4 >= r.r2 ? base.slice(0, -4) : base.slice(0, -4) + "abl";
    if (/ic$/.test(base)) return dropIc(base, r);
    if (/iv$/.test(base)) return at - 2 >= r.r2 ? base.slice(0, -2) : base;
    return base;
  }

  function afterIf(base, r) {
    var at = base.length;
    if (!/at$/.test(base) || at - 2 < r.r2) return base;
    return dropIc(base.slice(0, -2), r);
  }

  var STEP2A = ["îmes", "ît", "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait",
    "iras", "irent", "irez", "iriez", "irions", "irons", "iront", "is", "issaIent", "issais", "issait",
    "issant", "issante", "issantes", "issants", "isse", "issent", "isses", "issez", "issiez", "issions",
    "issons", "it"];

  /* Step 2a: verb suffixes beginning i, in RV after a non-vowel also in RV. */
  function step2a(w, r) {
    var s = longestIn(w, STEP2A, r.rv);
    var at = w.length - s.length;
    if (!s) return null;
    return at - 1 >= r.rv && !isVowel(w[at - 1]) ? w.slice(0, at) : null;
  }

  var STEP2B_DELETE = ["é", "ée", "ées", "és", "èrent", "er", "era", "erai", "eraIent", "erais", "erait",
    "eras", "erez", "eriez", "erions", "erons", "eront", "ez", "iez"];
  var STEP2B_E = ["âmes", "ât", "âtes", "a", "ai", "aIent", "ais", "ait", "ant", "ante", "antes", "ants",
    "as", "asse", "assent", "asses", "assiez", "assions"];

  /* Step 2b: other verb suffixes in RV; -ions in R2; an e before the
     a-suffixes goes too when in RV. */
  function step2b(w, r) {
    var s = longestIn(w, ["ions"].concat(STEP2B_DELETE, STEP2B_E), r.rv);
    var at = w.length - s.length;
    if (!s) return null;
    var base = w.slice(0, at);
    if (s === "ions") return at >= r.r2 ? base : null;
    if (STEP2B_E.indexOf(s) >= 0 && base.slice(-1) === "e" && at - 1 >= r.rv) return base.slice(0, -1);
    return base;
  }

  /* Step 4: residual suffixes, when steps 1 to 2b changed nothing. */
  function step4(w, r) {
    if (w.length > 1 && /s$/.test(w) && "aiouès".indexOf(w[w.length - 2]) < 0) w = w.slice(0, -1);
    var s = longestIn(w, ["ion", "ier", "ière", "Ier", "Ière", "e", "ë"], r.rv);
    var at = w.length - s.length;
    if (!s) return w;
    var base = w.slice(0, at);
    if (s === "ion") return at >= r.r2 && at - 1 >= r.rv && /[st]$/.test(base) ? base : w;
    if (s === "e") return base;
    /* The g and u must be in RV too. */
    if (s === "ë") return /gu$/.test(base) && at - 2 >= r.rv ? base : w;
    return base + "i";
  }

  /* Steps 1 to 2b; null when none of them changed the word. */
  function suffixes(w, r) {
    var one = step1(w, r);
    if (one && one.done) return one.w;
    var from = one ? one.w : w;
    var two = step2a(from, r) || step2b(from, r);
    return two === null ? (one ? one.w : null) : two;
  }

  function stem(word) {
    var w = prelude(word);
    var r1 = regionAfter(w, 0);
    var r = { rv: regionRV(w), r1: r1, r2: regionAfter(w, r1) };
    var changed = suffixes(w, r);
    if (changed === null) w = step4(w, r);
    else w = changed.replace(/Y$/, "i").replace(/ç$/, "c");
    /* Step 5: enn, onn, ett, ell, eill lose their last letter. */
    if (/(enn|onn|ett|ell|eill)$/.test(w)) w = w.slice(0, -1);
    /* Step 6: é or è before the last non-vowels loses its accent. */
    w = w.replace(/[éè]([^aeiouyâàëéêèïîôûù]+)$/, "e$1");
    return w.replace(/I/g, "i").replace(/U/g, "u").replace(/Y/g, "y");
  }

  window.UpgradeAtlasStemmers = window.UpgradeAtlasStemmers || {};
  window.UpgradeAtlasStemmers.fr = stem;
})();
