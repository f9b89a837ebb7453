/* upgrade-atlas: Spanish stems for the search (search.js loads this file
   only on a site whose language is Spanish). Snowball's Spanish stemmer,
   written from its published description (snowballstem.org/algorithms/
   spanish) as Snowball published it before its 2023 revision, which is the
   version the index stems with (the rust-stemmers crate, stem() in
   src/plan/search_index/language.rs). tests/it/search_stems.rs compares
   the two on Snowball's own Spanish words (tests/fixtures/snowball). A word
   arrives lower-cased, letters a to z, the accented vowels and ñ only. */
(function () {
  "use strict";

  var VOWELS = "aeiouáéíóúü";

  function isVowel(c) { return c !== undefined && VOWELS.indexOf(c) >= 0; }

  function longest(w, suffixes) {
    var best = "";
    suffixes.forEach(function (s) {
      if (s.length > best.length && w.slice(-s.length) === s) best = s;
    });
    return best;
  }

  /* Steps 2a, 2b and 3 see only RV: a longer suffix that reaches before it
     leaves a shorter one to match. */
  function longestIn(w, suffixes, from) {
    return longest(w, suffixes.filter(function (s) { return w.length - s.length >= from; }));
  }

  function regionAfter(w, from) {
    for (var i = from + 1; i < w.length; i++) {
      if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
    }
    return w.length;
  }

  /* The first index at or after `from` whose letter is (or is not) a
     vowel; -1 when there is none. */
  function next(w, from, vowel) {
    for (var i = from; i < w.length; i++) {
      if (isVowel(w[i]) === vowel) return i;
    }
    return -1;
  }

  /* RV: after the next vowel when the second letter is a consonant, after
     the next consonant when the first two are vowels, else after the third
     letter; the word's end when that place is not there. */
  function regionRV(w) {
    if (w.length < 2) return w.length;
    var found;
    if (!isVowel(w[1])) found = next(w, 2, true);
    else if (isVowel(w[0])) found = next(w, 2, false);
    else return Math.min(3, w.length);
    return found < 0 ? w.length : found + 1;
  }

  var PRONOUNS = ["me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos"];
  /* What comes before an attached pronoun, with what it becomes. */
  var BEFORE_PRONOUN = { "iéndo": "iendo", "ándo": "ando", "ár": "ar", "ér": "er", "ír": "ir",
    ando: "ando", iendo: "iendo", ar: "ar", er: "er", ir: "ir", yendo: "yendo" };

  /* Step 0: a pronoun attached to a gerund or an infinitive that begins
     in RV goes, and the verb's accent with it. */
  function step0(w, rv) {
    var pronoun = longest(w, PRONOUNS);
    if (!pronoun) return w;
    var base = w.slice(0, w.length - pronoun.length);
    var verb = longest(base, Object.keys(BEFORE_PRONOUN));
    var at = base.length - verb.length;
    if (!verb || at < rv) return w;
    if (verb === "yendo" && base[at - 1] !== "u") return w;
    return base.slice(0, at) + BEFORE_PRONOUN[verb];
  }

  /* Step 1's suffixes, by what they do (see step1()). */
  var STEP1 = {};
  function rule(name, suffixes) { suffixes.forEach(function (s) { STEP1[s] = name; }); }
  rule("r2", ["anza", "anzas", "ico", "ica", "icos", "icas", "ismo", "ismos", "able", "ables", "ible",
    "ibles", "ista", "istas", "oso", "osa", "osos", "osas", "amiento", "amientos", "imiento", "imientos"]);
  rule("ic", ["adora", "ador", "ación", "adoras", "adores", "aciones", "ante", "antes", "ancia", "ancias"]);
  rule("log", ["logía", "logías"]);
  rule("u", ["ución", "uciones"]);
  rule("ente", ["encia", "encias"]);
  rule("amente", ["amente"]);
  rule("mente", ["mente"]);
  rule("idad", ["idad", "idades"]);
  rule("iva", ["iva", "ivo", "ivas", "ivos"]);

  /* The longest of `before` that ends `base` in R2, removed. */
  function dropInR2(base, before, r2) {
    var s = longest(base, before);
    return s && base.length - s.length >= r2 ? base.slice(0, -s.length) : base;
  }

  /* Step 1: standard suffixes; null when none was removed. */
  function step1(w, r) {
    var s = longest(w, Object.keys(STEP1));
    if (!s) return null;
    var at = w.length - s.length;
    var base = w.slice(0, at);
    var name = STEP1[s];
    if (name === "amente") {
      if (at < r.r1) return null;
      if (/iv$/.test(base)) {
        if (at - 2 < r.r2) return base;
        return dropInR2(base.slice(0, -2), ["at"], r.r2);
      }
      return dropInR2(base, ["os", "ic", "ad"], r.r2);
    }
    if (at < r.r2) return null;
    if (name === "r2") return base;
    if (name === "ic") return dropInR2(base, ["ic"], r.r2);
    if (name === "log" || name === "u" || name === "ente") return base + name;
    if (name === "mente") return dropInR2(base, ["ante", "able", "ible"], r.r2);
    if (name === "idad") return dropInR2(base, ["abil", "ic", "iv"], r.r2);
    return dropInR2(base, ["at"], r.r2);
  }

  var STEP2A = ["ya", "ye", "yan", "yen", "yeron", "yendo", "yo", "yó", "yas", "yes", "yais", "yamos"];

  /* Step 2a: verb suffixes beginning y, in RV, after a u. */
  function step2a(w, rv) {
    var s = longestIn(w, STEP2A, rv);
    var at = w.length - s.length;
    return s && w[at - 1] === "u" ? w.slice(0, at) : null;
  }

  var STEP2B_GU = ["en", "es", "éis", "emos"];
  var STEP2B = STEP2B_GU.concat(["arían", "arías", "arán", "arás", "aríais", "aría", "aréis", "aríamos",
    "aremos", "ará", "aré", "erían", "erías", "erán", "erás", "eríais", "ería", "eréis", "eríamos", "eremos",
    "erá", "eré", "irían", "irías", "irán", "irás", "iríais", "iría", "iréis", "iríamos", "iremos", "irá",
    "iré", "aba", "ada", "ida", "ía", "ara", "iera", "ad", "ed", "id", "ase", "iese", "aste", "iste", "an",
    "aban", "ían", "aran", "ieran", "asen", "iesen", "aron", "ieron", "ado", "ido", "ando", "iendo", "ió",
    "ar", "er", "ir", "as", "abas", "adas", "idas", "ías", "aras", "ieras", "ases", "ieses", "ís", "áis",
    "abais", "íais", "arais", "ierais", "aseis", "ieseis", "asteis", "isteis", "ados", "idos", "amos",
    "ábamos", "íamos", "imos", "áramos", "iéramos", "iésemos", "ásemos"]);

  /* Step 2b: other verb suffixes in RV; after -en, -es, -éis, -emos a u
     that follows a g goes too. */
  function step2b(w, rv) {
    var s = longestIn(w, STEP2B, rv);
    if (!s) return w;
    var base = w.slice(0, w.length - s.length);
    if (STEP2B_GU.indexOf(s) >= 0 && /gu$/.test(base)) return base.slice(0, -1);
    return base;
  }

  /* Step 3: residual suffixes in RV; after -e or -é, a u in RV that
     follows a g goes too. */
  function step3(w, rv) {
    var s = longestIn(w, ["os", "a", "o", "á", "í", "ó", "e", "é"], rv);
    if (!s) return w;
    var base = w.slice(0, w.length - s.length);
    if ((s === "e" || s === "é") && /gu$/.test(base) && base.length - 1 >= rv) return base.slice(0, -1);
    return base;
  }

  function stem(word) {
    var w = word;
    var r1 = regionAfter(w, 0);
    var r = { rv: regionRV(w), r1: r1, r2: regionAfter(w, r1) };
    w = step0(w, r.rv);
    var one = step1(w, r);
    if (one !== null) w = one;
    else w = step2a(w, r.rv) || step2b(w, r.rv);
    w = step3(w, r.rv);
    return w.replace(/á/g, "a").replace(/é/g, "e").replace(/í/g, "i").replace(/ó/g, "o").replace(/ú/g, "u");
  }

  window.UpgradeAtlasStemmers = window.UpgradeAtlasStemmers || {};
  window.UpgradeAtlasStemmers.es = stem;
})();
