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

  /* src/plan/search_index/language.rs folds, splits and stems words the
     same way; the browser tests compare the two. */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").toLowerCase();
  }

  function trimDots(w) { return w.replace(/^\.+|\.+$/g, ""); }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}.]+/u).map(trimDots).filter(Boolean);
  }

  /* Chinese, Japanese and Korean letters (is_cjk in language.rs): their
     runs are cut into overlapping pairs of letters, having no spaces. */
  var CJK_CLASS = "\u1100-\u11ff\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf" +
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{323af}";
  var CJK_RUN = new RegExp("([" + CJK_CLASS + "]+)", "u");
  /* The letters each stemmer takes (Stemming::stems); other words are kept
     whole. German, French and Spanish words are stemmed with their
     accents, then folded. */
  var STEMMED = { en: /^[a-z]+$/, de: /^[a-zäöüß]+$/, fr: /^[a-zàâäçéèêëîïôöùûüÿœæ]+$/, es: /^[a-záéíóúüñ]+$/ };
  var ACCENTED = { de: true, fr: true, es: true };

  /* A site's language as the search needs it: the stemmer's code ("en",
     "de"... or null) and its function, once its script has run (manifest()
     loads it). `true` stands for English, false for none. */
  function language(code) {
    if (code && typeof code === "object") return code;
    if (code === true) code = "en";
    var stemmers = window.UpgradeAtlasStemmers || {};
    return { code: code || null, stem: (code && stemmers[code]) || null, accented: !!ACCENTED[code] };
  }

  /* A word as the index holds it (index_form in language.rs). */
  function indexForm(word, lang) {
    var stems = lang.stem && STEMMED[lang.code].test(word);
    if (!lang.accented) return stems ? lang.stem(word) : word;
    return stems ? fold(lang.stem(word)) : trimDots(fold(word));
  }

  /* The runs of word letters of a text, dots not yet trimmed: of its folded
     form, or for a stemmer that takes accents of its lower-cased, composed
     form, accents kept in the word. */
  function chunks(text, lang, hyphens) {
    var extra = (lang.accented ? "\\u0300-\\u036f" : "") + (hyphens ? "-" : "");
    var prepared = lang.accented ? text.toLowerCase().normalize("NFC") : fold(text);
    return prepared.split(new RegExp("[^\\p{L}\\p{N}." + extra + "]+", "u"));
  }

  /* Adds to `out` the terms of a run of word letters, each as
     { word, term }: its Chinese, Japanese or Korean parts as overlapping
     pairs of letters (a single letter as itself), its other parts as
     words, dots trimmed, in their index form (chunk_terms in language.rs). */
  function chunkTerms(chunk, lang, out) {
    chunk.split(CJK_RUN).forEach(function (part, i) {
      if (i % 2) {
        var letters = Array.from(part);
        if (letters.length === 1) out.push({ word: part, term: part });
        for (var k = 0; k + 1 < letters.length; k++) {
          var pair = letters[k] + letters[k + 1];
          out.push({ word: pair, term: pair });
        }
        return;
      }
      var word = trimDots(part);
      var term = word && indexForm(word, lang);
      if (term) out.push({ word: trimDots(fold(word)), term: term });
    });
  }

  /* The terms of a text in order, each { word, term }. */
  function termList(text, lang) {
    var out = [];
    lang = language(lang);
    chunks(text, lang, false).forEach(function (chunk) { chunkTerms(chunk, lang, out); });
    return out;
  }

  function terms(text, lang) {
    return termList(text, lang).map(function (t) { return t.term; });
  }

  /* The terms a text is found by, as the index holds them: its terms, and
     each hyphenated word also joined ("wi-fi" as "wifi"). */
  function indexWords(text, lang) {
    lang = language(lang);
    var out = termList(text, lang);
    chunks(text, lang, true)
      .filter(function (chunk) { return chunk.indexOf("-") >= 0; })
      .map(function (chunk) { return chunk.split("-").map(trimDots).filter(Boolean); })
      .filter(function (parts) { return parts.length > 1; })
      .forEach(function (parts) { chunkTerms(parts.join(""), lang, out); });
    return out.map(function (t) { return t.term; });
  }

  /* Porter2, once stem-en.js has run (the browser tests call it). */
  function stem(word) {
    return window.UpgradeAtlasStemmers.en(word);
  }

  /* Adds a script once; resolves with what read() finds after it ran
     (the loader the site's scripts share, common.js). */
  function loadScript(path, read) {
    return window.UpgradeAtlasCommon.loadScript(root + path, read);
  }

  var ready = null;

  /* Resolves with the index's manifest, its language's stemmer loaded
     (assets/stem-<code>.js, only the site's own). */
  function manifest() {
    if (!ready) {
      ready = loadScript("data/search.js", readManifest).then(function (index) {
        if (!index.lang.code) return index;
        var code = index.lang.code;
        return loadScript("assets/stem-" + code + ".js", function () {
          return (window.UpgradeAtlasStemmers || {})[code];
        }).then(function () {
          index.lang = language(code);
          return index;
        });
      });
      /* A file that failed to load may be asked for again. */
      ready.catch(function () { ready = null; });
    }
    return ready;
  }

  function readManifest() {
      var index = window.UPGRADE_ATLAS_SEARCH;
      if (!index) return undefined;
      var files = new Map();
      index.leaves.forEach(function (key, i) { files.set(key, { name: "w" + i, leaf: true }); });
      index.splits.forEach(function (split, i) {
        files.set(split[0], { name: "p" + i, leaf: false, prefix: Array.from(split[1]) });
      });
      var vocabulary = new Set();
      decode(index.vocabulary, function (group) { vocabulary.add(group); });
      return { documents: index.documents, perFile: index.per_file, files: files,
        lang: { code: index.stem || null }, vocabulary: vocabulary };
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
  function queryTerms(query, lang) {
    return terms(query, lang);
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
      var term = indexForm(word, index.lang);
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
      /* Each term with the word it came from, which a correction replaces. */
      var list = termList(query, index.lang);
      var terms = list.map(function (t) { return t.term; });
      var typedWords = list.map(function (t) { return t.word; });
      if (!terms.length) return empty;
      var corrections = [];
      /* Pairs load beside the terms, not after them; looked up again only
         when a word was replaced. */
      var adjacent = adjacentScores(index, terms);
      return Promise.all(terms.map(function (term) { return lookUp(index, term); }))
        .then(function (found) {
          return Promise.all(found.map(function (f, i) {
            if (f.found) return f;
            return correction(index, typedWords[i]).then(function (better) {
              if (!better) return f;
              corrections.push([typedWords[i], better.word]);
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
              score: ranked.score, corrections: corrections, words: shown, stem: index.lang.code };
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
     matched it: a prefix of the word or of its index form (its stem). A
     run of Chinese, Japanese or Korean matches when it holds one of the
     query's pairs of letters, which `.cjk` lists for highlight(). */
  function matcher(query, lang) {
    lang = language(lang);
    var list = termList(query, lang);
    var terms = words(query).concat(list.map(function (t) { return t.term; }));
    var matches = function (word) {
      var folded = fold(word);
      if (CJK_RUN.test(word)) return matches.cjk.some(function (t) { return folded.indexOf(t) >= 0; });
      var forms = terms.length ? [folded].concat(termList(word, lang).map(function (t) { return t.term; })) : [];
      return terms.some(function (t) {
        return forms.some(function (form) { return form.indexOf(t) === 0; });
      });
    };
    matches.cjk = list.map(function (t) { return t.term; }).filter(function (t) { return CJK_RUN.test(t); });
    return matches;
  }

  /* A text's words, each run of Chinese, Japanese or Korean apart. */
  var PIECES = new RegExp("[" + CJK_CLASS + "]+|(?:(?![" + CJK_CLASS + "])[\\p{L}\\p{N}.])+", "gu");

  /* The parts of a piece of text to mark, as [start, end] within it: a
     word, its dots left out; in a run of Chinese, Japanese or Korean,
     where the query's pairs of letters are. */
  function spans(piece, matches) {
    if (!CJK_RUN.test(piece)) {
      var lead = piece.length - piece.replace(/^\.+/, "").length;
      var shown = trimDots(piece);
      return shown && matches(shown) ? [[lead, lead + shown.length]] : [];
    }
    var folded = fold(piece);
    /* Folding changed the letters' places: the whole run, if it matches. */
    if (folded.length !== piece.length) return matches(piece) ? [[0, piece.length]] : [];
    var covered = new Uint8Array(piece.length);
    matches.cjk.forEach(function (t) {
      for (var at = folded.indexOf(t); at >= 0; at = folded.indexOf(t, at + 1)) covered.fill(1, at, at + t.length);
    });
    var out = [];
    for (var i = 0; i < piece.length; i++) {
      if (!covered[i]) continue;
      var end = i;
      while (end < piece.length && covered[end]) end++;
      out.push([i, end]);
      i = end;
    }
    return out;
  }

  /* Appends text to an element with every word `matches` marked. */
  function highlight(element, text, matches) {
    var last = 0;
    var match;
    PIECES.lastIndex = 0;
    while ((match = PIECES.exec(text)) !== null) {
      var at = match.index;
      spans(match[0], matches).forEach(function (span) {
        element.appendChild(document.createTextNode(text.slice(last, at + span[0])));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(at + span[0], at + span[1]);
        element.appendChild(mark);
        last = at + span[1];
      });
    }
    element.appendChild(document.createTextNode(text.slice(last)));
  }

  /* About 200 characters of a text around its first matching word, cut
     between words and marked "…" where cut. */
  function snippet(text, matches) {
    var at = 0;
    var match;
    PIECES.lastIndex = 0;
    while ((match = PIECES.exec(text)) !== null) {
      if (spans(match[0], matches).length) { at = match.index; break; }
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
      var terms = queryTerms(query, index.lang);
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
    fold: fold, words: words, stem: stem, indexWords: indexWords, queryTerms: queryTerms, terms: terms,
    language: language,
    search: search, page: page, href: href, matcher: matcher, highlight: highlight,
    snippet: snippet, part: part, manifest: manifest, prepare: prepare, prefetch: prefetch,
    count: count, WAIT_MS: WAIT_MS
  };
})();
