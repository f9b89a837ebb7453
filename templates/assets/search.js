/* upgrade-atlas search engine: plain JavaScript, no library, loaded on
   every page (the header's box, site.js) and used by the search page
   (search-page.js). The index is split into small scripts (data/search.js
   and data/search/*.js, described in src/plan/data.rs) added on demand,
   because browsers refuse fetch() on file:// pages: a query loads the
   words files of its terms, ranks every document that matches from them
   alone, then loads the documents of only the results a page shows.
   Matching is by word prefix, case- and accent-insensitive; title hits
   rank above body hits. */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  /* What a term scores in a document: its own word in the title, a longer
     word in the title, its own word in the body at least three times
     (FREQUENT in src/plan/search_index), once or twice, a longer word in
     the body. */
  var EXACT_TITLE = 20;
  var PREFIX_TITLE = 10;
  var FREQUENT_BODY = 3;
  var EXACT_BODY = 2;
  var PREFIX_BODY = 1;
  /* What two adjacent terms of a query add when a document's title says
     them side by side (adjacent_pairs in src/plan/search_index; the index
     holds no body's pairs, which would make it four times larger): enough
     to rank "Wonka Mailer" above "Mailer for Wonka" among equals, less
     than a term's own word scores over a longer one. */
  var ADJACENT_TITLE = 5;

  /* src/plan/search_index.rs folds and splits words the same way. */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text)
      .split(/[^\p{L}\p{N}.]+/u)
      .map(function (w) { return w.replace(/^\.+|\.+$/g, ""); })
      .filter(Boolean);
  }

  /* English stems: Porter2, Snowball's English stemmer, written from its
     published description (snowballstem.org/algorithms/english), as
     Snowball published it until its 2023 revision; the index stems its
     words with the same algorithm (stem() in src/plan/search_index/mod.rs,
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

  /* The words a text is found by, as the index holds them: its words, each
     hyphenated word also joined ("wi-fi" as "wifi"), stemmed if `english`. */
  function indexWords(text, english) {
    var folded = fold(text);
    var joined = folded.split(/[^\p{L}\p{N}.-]+/u)
      .filter(function (chunk) { return chunk.indexOf("-") >= 0; })
      .map(function (chunk) {
        return chunk.split("-").map(function (w) { return w.replace(/^\.+|\.+$/g, ""); }).filter(Boolean);
      })
      .filter(function (parts) { return parts.length > 1; })
      .map(function (parts) { return parts.join(""); });
    var all = words(text).concat(joined);
    return english ? all.map(stem) : all;
  }


  /* Adds a script once; resolves with what read() finds after it ran
     (the loader the site's scripts share, common.js). */
  function loadScript(path, read) {
    return window.UpgradeAtlasCommon.loadScript(root + path, read);
  }

  function manifest() {
    return loadScript("data/search.js", function () {
      var index = window.UPGRADE_ATLAS_SEARCH;
      if (!index) return undefined;
      var files = new Map();
      index.leaves.forEach(function (key, i) { files.set(key, { name: "w" + i, leaf: true }); });
      index.splits.forEach(function (split, i) {
        files.set(split[0], { name: "p" + i, leaf: false, prefix: Array.from(split[1]) });
      });
      var vocabulary = new Set();
      decode(index.vocabulary, function (group) { vocabulary.add(group); });
      return { documents: index.documents, perFile: index.per_file, files: files, english: index.stem === "en",
        vocabulary: vocabulary };
    });
  }

  function part(name) {
    return loadScript("data/search/" + name + ".js", function () {
      var parts = window.UPGRADE_ATLAS_SEARCH_PARTS;
      return parts && parts[name];
    });
  }

  /* The file that holds what a term needs, and whether the term is that
     file's own prefix; null when no word starts with the term. The words
     that start with a key (a prefix and one more letter) are all in its
     file if it is a leaf. A split node's words share a longer prefix: a term
     that ends within it finds its words merged in the node's file (as its
     own word if it is the whole prefix), a longer one goes on to a child.
     The empty key is a leaf or the root, which has no file. */
  function termFile(index, term) {
    var letters = Array.from(term);
    for (var i = 0; i <= letters.length; i++) {
      var file = index.files.get(letters.slice(0, i).join(""));
      if (!file) {
        if (i === 0) continue;
        return null;
      }
      if (file.leaf) return { name: file.name, leaf: true };
      var prefix = file.prefix;
      var same = i;
      while (same < letters.length && same < prefix.length && letters[same] === prefix[same]) same++;
      if (same === letters.length) return { name: file.name, leaf: false, own: same === prefix.length };
      if (same < prefix.length) return null;
      i = prefix.length;
    }
    return null;
  }

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charAt(d)] = d;

  /* Calls each(n) for every number of an encoded set, in order: gaps in
     base 32 (32 added to all digits but a number's last), or "~" and a
     bitmap, six numbers a digit. */
  function decode(code, each) {
    var i;
    if (!code) return;
    if (code.charAt(0) === "~") {
      for (i = 1; i < code.length; i++) {
        var bits = DIGIT[code.charAt(i)];
        for (var b = 0; b < 6; b++) {
          if (bits & (1 << b)) each((i - 1) * 6 + b);
        }
      }
      return;
    }
    var at = -1;
    var gap = 0;
    for (i = 0; i < code.length; i++) {
      var digit = DIGIT[code.charAt(i)];
      gap = gap * 32 + (digit & 31);
      if (digit < 32) {
        at += gap + 1;
        gap = 0;
        each(at);
      }
    }
  }

  function raise(scores, code, value) {
    decode(code, function (n) { if (scores[n] < value) scores[n] = value; });
  }

  /* Whether a term's file holds a word it starts: a split's file always
     does (its words share the term's letters); a leaf's when one of its
     words starts with the term. */
  function finds(file, data, term) {
    if (!file.leaf) return true;
    return data.some(function (entry) { return entry[0].indexOf(term) === 0; });
  }

  /* What one term scores in every document, from its file. A leaf entry
     is [word, title, body, frequent]; a split's file [title, body, longer
     title, longer body, frequent]: the prefix as a word, then its longer
     words merged (for a shorter term, all of them are longer words). */
  function termScores(index, file, data, term) {
    var scores = new Uint8Array(index.documents);
    if (file.leaf) {
      data.forEach(function (entry) {
        if (entry[0] === term) {
          raise(scores, entry[1], EXACT_TITLE);
          raise(scores, entry[2], EXACT_BODY);
          raise(scores, entry[3], FREQUENT_BODY);
        } else if (entry[0].indexOf(term) === 0) {
          raise(scores, entry[1], PREFIX_TITLE);
          raise(scores, entry[2], PREFIX_BODY);
        }
      });
    } else {
      raise(scores, data[0], file.own ? EXACT_TITLE : PREFIX_TITLE);
      raise(scores, data[1], file.own ? EXACT_BODY : PREFIX_BODY);
      if (file.own) raise(scores, data[4], FREQUENT_BODY);
      raise(scores, data[2], PREFIX_TITLE);
      raise(scores, data[3], PREFIX_BODY);
    }
    return scores;
  }

  /* What a pair of adjacent terms adds in every document: the pair is
     looked up whole, as the index holds it ("tls ciph"), never as a
     prefix; null when no title has it. */
  function pairScores(index, pair) {
    var file = termFile(index, pair);
    if (!file || (!file.leaf && !file.own)) return Promise.resolve(null);
    return part(file.name).then(function (data) {
      var scores = new Uint8Array(index.documents);
      var code = file.leaf
        ? (data.filter(function (entry) { return entry[0] === pair; })[0] || [])[1]
        : data[0];
      if (!code) return null;
      raise(scores, code, ADJACENT_TITLE);
      return scores;
    });
  }

  /* The scores of each pair of adjacent terms (terms that are not pairs). */
  function adjacentScores(index, terms) {
    var pairs = [];
    for (var i = 0; i + 1 < terms.length; i++) pairs.push(terms[i] + " " + terms[i + 1]);
    return Promise.all(pairs.map(function (pair) { return pairScores(index, pair); }))
      .then(function (all) { return all.filter(Boolean); });
  }

  /* Every document that every term matches (and `allowed` allows), best
     first: more terms in the title, then a higher score (with what
     `bonus` adds: adjacent terms), then the lower number, which stands
     for a shorter title and then the site's order. */
  function rank(index, scores, allowed, bonus) {
    var keys = [];
    var inTitle = new Uint8Array(index.documents);
    var score = new Uint16Array(index.documents);
    for (var n = 0; n < index.documents; n++) {
      if (allowed && !allowed[n]) continue;
      var j;
      for (j = 0; j < scores.length; j++) {
        var s = scores[j][n];
        if (!s) break;
        if (s >= PREFIX_TITLE) inTitle[n]++;
        score[n] += s;
      }
      if (j === scores.length) {
        for (var k = 0; k < bonus.length; k++) score[n] += bonus[k][n];
        keys.push(sortKey(inTitle[n], score[n], n));
      }
    }
    /* One number a match, sorted by the engine's own numeric sort: a
       comparator over tens of thousands of matches took 10 to 25 ms. */
    var sorted = Float64Array.from(keys).sort();
    var numbers = new Array(sorted.length);
    for (var i = 0; i < sorted.length; i++) numbers[i] = sorted[i] % NUMBER_SPAN;
    return { numbers: numbers, inTitle: inTitle, score: score };
  }

  /* Documents a key can tell apart (2^24), and scores (2^16): a key is
     exact in a double up to 2^53, and these take 4 + 16 + 24 bits. */
  var NUMBER_SPAN = 16777216;
  var SCORE_SPAN = 65536;

  /* A match's key, smaller first: more terms in the title, a higher
     score, then the lower number. */
  function sortKey(inTitle, score, n) {
    return ((15 - Math.min(inTitle, 15)) * SCORE_SPAN + (SCORE_SPAN - 1 - score)) * NUMBER_SPAN + n;
  }

  /* The documents a filter allows: those of any of its facet keys in
     each group ({ kind: ["kissue"], product: ["p3"] }), or null. */
  function allowedBy(index, filters) {
    var groups = Object.keys(filters || {}).filter(function (g) { return filters[g] && filters[g].length; });
    if (!groups.length) return Promise.resolve(null);
    return Promise.all(groups.map(function (g) {
      return Promise.all(filters[g].map(function (key) { return part("f" + key); }));
    })).then(function (sets) {
      var count = new Uint8Array(index.documents);
      sets.forEach(function (group) {
        var inGroup = new Uint8Array(index.documents);
        group.forEach(function (code) { decode(code, function (n) { inGroup[n] = 1; }); });
        for (var n = 0; n < index.documents; n++) count[n] += inGroup[n];
      });
      return count.map(function (c) { return c === groups.length ? 1 : 0; });
    });
  }

  /* A query's terms: its words, stemmed as the index stems. A query need
     not join hyphenated words: "wi-fi" finds "wi" and "fi". */
  function queryTerms(query, english) {
    var terms = words(query);
    return english ? terms.map(stem) : terms;
  }

  /* Typo fallback. Only a word of four letters or more, a to z, that
     starts no indexed word is replaced, and only by a word one edit away
     (a letter dropped, added, changed or two swapped, the first letter
     kept) that the index holds as a whole word: so a number or a name
     that is absent ("13.7") finds nothing rather than something else. */
  var LETTERS = "abcdefghijklmnopqrstuvwxyz";
  var MAX_FALLBACK_FILES = 3;

  function oneEditAway(word) {
    var found = {};
    for (var i = 1; i <= word.length; i++) {
      if (i < word.length) found[word.slice(0, i) + word.slice(i + 1)] = true;
      if (i < word.length - 1) found[word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)] = true;
      for (var l = 0; l < LETTERS.length; l++) {
        found[word.slice(0, i) + LETTERS[l] + word.slice(i)] = true;
        if (i < word.length) found[word.slice(0, i) + LETTERS[l] + word.slice(i + 1)] = true;
      }
    }
    delete found[word];
    return Object.keys(found).sort();
  }

  /* The vocabulary file of a term (`vst` for "stretch"), if the index has
     one: whole words of letters a to z that start with the term's first
     two letters, most documents first (src/plan/search_index/vocabulary.rs). */
  function vocabularyFile(index, term) {
    if (!/^[a-z]{3,}$/.test(term)) return null;
    var group = (term.charCodeAt(0) - 97) * 26 + (term.charCodeAt(1) - 97);
    return index.vocabulary.has(group) ? "v" + term.slice(0, 2) : null;
  }

  /* Resolves with { word, term } for the likeliest word a typed word was
     meant to be, or null: one that keeps its first two letters if any
     (most typos are further in), then the one most documents hold. Only
     the vocabulary files where most candidates fall are loaded, a few at
     most; each lists its words most documents first, so places in two
     files are compared as if they were counts. */
  function correction(index, typed) {
    if (!/^[a-z]{4,}$/.test(typed)) return Promise.resolve(null);
    var candidates = oneEditAway(typed).map(function (word) {
      var term = index.english ? stem(word) : word;
      return { word: word, term: term, file: vocabularyFile(index, term) };
    }).filter(function (c) { return c.file; });
    var byFile = {};
    candidates.forEach(function (c) { byFile[c.file] = (byFile[c.file] || 0) + 1; });
    var names = Object.keys(byFile).sort(function (a, b) { return byFile[b] - byFile[a] || (a < b ? -1 : 1); })
      .slice(0, MAX_FALLBACK_FILES);
    return Promise.all(names.map(part)).then(function (lists) {
      var rankOf = new Map();
      lists.forEach(function (list) {
        list.split(" ").forEach(function (word, at) { rankOf.set(word, at); });
      });
      var own = typed.slice(0, 2);
      var best = null;
      candidates.forEach(function (c) {
        if (!rankOf.has(c.term)) return;
        var key = [c.term.slice(0, 2) === own ? 0 : 1, rankOf.get(c.term)];
        if (!best || key[0] < best.key[0] || (key[0] === best.key[0] && key[1] < best.key[1])) {
          best = { word: c.word, term: c.term, key: key };
        }
      });
      return best;
    });
  }

  /* Each term's file and data: { file, data, found }. */
  function lookUp(index, term) {
    var file = termFile(index, term);
    if (!file) return Promise.resolve({ file: null, data: null, found: false });
    return part(file.name).then(function (data) {
      return { file: file, data: data, found: finds(file, data, term) };
    });
  }

  /* Resolves with the answer to a query: { total, numbers (every match,
     best first), inTitle, score (by number), corrections ([typed, shown]
     for each word replaced), words (what to highlight) }. `filters` narrow
     it by facet keys (see allowedBy). Documents come from page(). */
  function search(query, filters) {
    var typed = words(query);
    var empty = { total: 0, numbers: [], corrections: [], words: typed };
    if (!typed.length) return Promise.resolve(empty);
    return manifest().then(function (index) {
      var terms = queryTerms(query, index.english);
      var corrections = [];
      /* Pairs load beside the terms, not after them; looked up again only
         when a word was replaced. */
      var adjacent = adjacentScores(index, terms);
      return Promise.all(terms.map(function (term) { return lookUp(index, term); }))
        .then(function (found) {
          return Promise.all(found.map(function (f, i) {
            if (f.found) return f;
            return correction(index, typed[i]).then(function (better) {
              if (!better) return f;
              corrections.push([typed[i], better.word]);
              terms[i] = better.term;
              return lookUp(index, better.term);
            });
          }));
        })
        .then(function (found) {
          var shown = typed.slice();
          corrections.forEach(function (c) { shown.push(c[1]); });
          if (found.some(function (f) { return !f.found; })) {
            return { total: 0, numbers: [], corrections: corrections, words: shown };
          }
          if (corrections.length) adjacent = adjacentScores(index, terms);
          return Promise.all([allowedBy(index, filters), adjacent]).then(function (both) {
            var scores = found.map(function (f, i) { return termScores(index, f.file, f.data, terms[i]); });
            var ranked = rank(index, scores, both[0], both[1]);
            return { total: ranked.numbers.length, numbers: ranked.numbers, inTitle: ranked.inTitle,
              score: ranked.score, corrections: corrections, words: shown };
          });
        });
    });
  }

  /* Resolves with the results from..from+count of an answer, each
     { doc, number, inTitle, score }: loads their documents files only.
     With `each`, also calls it with every result in order as soon as that
     result and those before it are loaded, so that a page can show the
     first results while later files are still on their way. */
  function page(answer, from, count, each) {
    var numbers = answer.numbers.slice(from, from + count);
    if (!numbers.length) return Promise.resolve([]);
    return manifest().then(function (index) {
      var hits = new Array(numbers.length);
      var given = 0;
      return Promise.all(numbers.map(function (n, i) {
        return part("d" + Math.floor(n / index.perFile)).then(function (file) {
          hits[i] = { doc: file[n % index.perFile], number: n, inTitle: answer.inTitle[n], score: answer.score[n] };
          while (each && given < hits.length && hits[given]) each(hits[given++]);
          return hits[i];
        });
      }));
    });
  }

  /* Index URLs are written from the site root, already in the site's URL
     style. With `query`, the page it opens marks the query's words
     (site.js): "?q=" before any anchor. */
  function href(url, query) {
    if (!query) return root + url;
    var hash = url.indexOf("#");
    var path = hash < 0 ? url : url.slice(0, hash);
    return root + path + "?q=" + encodeURIComponent(query) + (hash < 0 ? "" : url.slice(hash));
  }

  /* Whether a word of a page matches a query's word, as the search
     matched it: a prefix of the word or of its stem. */
  function matcher(query, english) {
    var plain = words(query);
    var terms = plain.concat(english ? plain.map(stem) : []);
    return function (word) {
      var folded = fold(word);
      var stemmed = english ? stem(folded) : folded;
      return terms.some(function (t) { return folded.indexOf(t) === 0 || stemmed.indexOf(t) === 0; });
    };
  }

  /* Appends text to an element with every word `matches` marked. */
  function highlight(element, text, matches) {
    var pattern = /[\p{L}\p{N}.]+/gu;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var lead = match[0].length - match[0].replace(/^\.+/, "").length;
      var shown = match[0].slice(lead).replace(/\.+$/, "");
      if (!shown || !matches(shown)) continue;
      var start = match.index + lead;
      element.appendChild(document.createTextNode(text.slice(last, start)));
      var mark = document.createElement("mark");
      mark.textContent = shown;
      element.appendChild(mark);
      last = start + shown.length;
    }
    element.appendChild(document.createTextNode(text.slice(last)));
  }

  /* About 200 characters of a text around its first matching word, cut
     between words and marked "…" where cut. */
  function snippet(text, matches) {
    var pattern = /[\p{L}\p{N}.]+/gu;
    var at = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      if (matches(match[0].replace(/^\.+|\.+$/g, ""))) { at = match.index; break; }
    }
    var start = Math.max(0, at - 80);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < at ? space + 1 : at;
    }
    var end = Math.min(text.length, start + 200);
    if (end < text.length) {
      var before = text.lastIndexOf(" ", end);
      if (before > at) end = before;
    }
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  /* How long a box waits for the next key before it searches: short,
     because a reader waits this long for every answer (issue 24 asks for
     first results within 150 ms of the last key); a search of a prefix
     still being typed costs little, its files serving the longer word. */
  var WAIT_MS = 40;

  /* A count as the page shows it, "11,127": without Intl, whose first use
     in a page costs tens of milliseconds that a reader would wait. */
  /* A count with its thousands grouped the site's language's way
     (script-thousands: "," in English, "." in German). */
  function count(n) {
    var separator = window.UpgradeAtlasCommon ? window.UpgradeAtlasCommon.t("script-thousands") : ",";
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  /* Loads the manifest ahead of the first key (when a box takes focus, or
     with the search page), so that no query waits for it. */
  function prepare() {
    manifest().catch(function () { /* the query that needs it says so */ });
  }

  /* Loads the words files of what is typed so far, at each key, while the
     box waits for the next one: a word's file is most often its prefix's
     too, so the search that follows finds it loaded. */
  function prefetch(query) {
    if (!words(query).length) return;
    manifest().then(function (index) {
      var terms = queryTerms(query, index.english);
      /* Each term, and each pair of adjacent terms (see pairScores). */
      terms.concat(terms.slice(1).map(function (term, i) { return terms[i] + " " + term; }))
        .forEach(function (term) {
          var file = termFile(index, term);
          if (file) part(file.name).catch(function () { /* the search says so */ });
        });
    }).catch(function () { /* the search says so */ });
  }

  /* For the header's live results (site.js), the search page
     (search-page.js), and the browser tests, which compare it with a
     plain scan. */
  window.UpgradeAtlasSearch = {
    fold: fold, words: words, stem: stem, indexWords: indexWords, queryTerms: queryTerms,
    search: search, page: page, href: href, matcher: matcher, highlight: highlight,
    snippet: snippet, part: part, manifest: manifest, prepare: prepare, prefetch: prefetch,
    count: count, WAIT_MS: WAIT_MS
  };
})();
