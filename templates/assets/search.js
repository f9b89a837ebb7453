/* upgrade-atlas search: plain JavaScript, no library. The index is split
   into small scripts (data/search.js and data/search/*.js, described in
   src/plan/data.rs) added on demand, because browsers refuse fetch() on
   file:// pages: a query loads the words files of its terms, then the
   documents it shows. Matching is by word prefix, case- and
   accent-insensitive; title hits rank above body hits. */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";
  var SHOWN = 50;
  /* What a term scores in a document: its own word in the title, a longer
     word in the title, its own word in the body, a longer word in the body. */
  var EXACT_TITLE = 20;
  var PREFIX_TITLE = 10;
  var EXACT_BODY = 2;
  var PREFIX_BODY = 1;

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
     so in its manifest. tests/search_stems.rs compares the two on
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
    if (EXCEPTIONS.hasOwnProperty(word)) return EXCEPTIONS[word];
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

  var loading = {};

  /* Adds a script once; resolves with what read() finds after it ran. */
  function loadScript(path, read) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + path;
        script.onload = function () {
          var value = read();
          if (value === undefined) reject(new Error(path + " defines nothing"));
          else resolve(value);
        };
        script.onerror = function () {
          delete loading[path];
          document.head.removeChild(script);
          reject(new Error(path + " could not be loaded"));
        };
        document.head.appendChild(script);
      });
    }
    return loading[path];
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
      var groups = [];
      decode(index.groups, function (n) { groups.push(n); });
      return { documents: index.documents, groups: groups, files: files, english: index.stem === "en" };
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

  /* The documents file of a document: the last that starts at or before it. */
  function group(index, number) {
    var low = 0;
    var high = index.groups.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (index.groups[middle] <= number) low = middle; else high = middle - 1;
    }
    return low;
  }

  /* What one term scores in every document, from its file. */
  function termScores(index, file, data, term) {
    var scores = new Uint8Array(index.documents);
    if (file.leaf) {
      data.forEach(function (entry) {
        if (entry[0] === term) {
          raise(scores, entry[1], EXACT_TITLE);
          raise(scores, entry[2], EXACT_BODY);
        } else if (entry[0].indexOf(term) === 0) {
          raise(scores, entry[1], PREFIX_TITLE);
          raise(scores, entry[2], PREFIX_BODY);
        }
      });
    } else {
      /* The prefix as a word, then its longer words; for a shorter term all
         of them are longer words. */
      raise(scores, data[0], file.own ? EXACT_TITLE : PREFIX_TITLE);
      raise(scores, data[1], file.own ? EXACT_BODY : PREFIX_BODY);
      raise(scores, data[2], PREFIX_TITLE);
      raise(scores, data[3], PREFIX_BODY);
    }
    return scores;
  }

  /* The best documents that every term matches: more terms in the title
     first, then a higher score, then the lower number, which stands for a
     shorter title and then the site's order. */
  function best(index, scores) {
    var top = [];
    for (var n = 0; n < index.documents; n++) {
      var score = 0;
      var inTitle = 0;
      var j;
      for (j = 0; j < scores.length; j++) {
        var s = scores[j][n];
        if (!s) break;
        if (s >= PREFIX_TITLE) inTitle++;
        score += s;
      }
      if (j < scores.length) continue;
      /* Documents come in order: one enters only ahead of a worse one. */
      var at = top.length;
      while (at > 0 && (top[at - 1].inTitle < inTitle ||
          (top[at - 1].inTitle === inTitle && top[at - 1].score < score))) at--;
      if (at >= SHOWN) continue;
      top.splice(at, 0, { number: n, inTitle: inTitle, score: score });
      if (top.length > SHOWN) top.pop();
    }
    return top;
  }

  /* A query's terms: its words, stemmed as the index stems. A query need
     not join hyphenated words: "wi-fi" finds "wi" and "fi". */
  function queryTerms(query, english) {
    var terms = words(query);
    return english ? terms.map(stem) : terms;
  }

  /* Resolves with up to 50 hits, best first: { doc, inTitle, score }. */
  function search(query) {
    if (!words(query).length) return Promise.resolve([]);
    return manifest().then(function (index) {
      var terms = queryTerms(query, index.english);
      var files = terms.map(function (term) { return termFile(index, term); });
      if (files.indexOf(null) >= 0) return [];
      return Promise.all(files.map(function (file) { return part(file.name); }))
        .then(function (data) {
          var scores = terms.map(function (term, i) { return termScores(index, files[i], data[i], term); });
          var top = best(index, scores);
          var groups = top.map(function (hit) { return group(index, hit.number); });
          return Promise.all(groups.map(function (g) { return part("d" + g); }))
            .then(function (files) {
              return top.map(function (hit, i) {
                var doc = files[i][hit.number - index.groups[groups[i]]];
                return { doc: doc, inTitle: hit.inTitle, score: hit.score };
              });
            });
        });
    });
  }

  /* Index URLs are written from the site root, already in the site's URL style. */
  function href(url) {
    return root + url;
  }

  /* For the header's live results (site.js), and for the browser tests,
     which compare it with a plain scan. */
  window.UpgradeAtlasSearch = {
    fold: fold, words: words, stem: stem, indexWords: indexWords, queryTerms: queryTerms,
    search: search, href: href
  };

  var input = document.getElementById("search-query");
  var results = document.getElementById("results");
  if (!input || !results) return;

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
    if (at < 0) at = 0;
    /* Cut between words: start after a space, end before one. */
    var start = Math.max(0, at - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < at ? space + 1 : at;
    }
    var end = Math.min(text.length, start + 180);
    if (end < text.length) {
      var before = text.lastIndexOf(" ", end);
      if (before > at) end = before;
    }
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function show(query, found) {
    results.textContent = "";
    var plainTerms = words(query);
    var terms = plainTerms.concat(plainTerms.map(stem));
    if (!terms.length) return;
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
      var doc = hit.doc;
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

  /* Files arrive in any order: only the latest query's answer is shown. */
  var latest = 0;

  function run() {
    var query = input.value.trim();
    var mine = ++latest;
    search(query).then(function (found) {
      if (mine === latest) show(query, found);
    }, function () {
      if (mine === latest) results.textContent = "The search index could not be loaded.";
    });
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
