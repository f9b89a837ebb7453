/* upgrade-atlas: what the site's scripts share, said once.

   Loaded in every page's head (base.html), before the scripts that use it:
   search.js loads its index with loadScript, paths.js loads the finder's
   parts with it and numbers versions with lastAtOrBefore, and the path
   finder's page (finder.js) and runbooks (stacks.js) build their answers
   with the element helpers and show issues as the build rendered them
   through the theme's partials/issue.html. */
(function () {
  "use strict";

  var loading = Object.create(null);

  /* Adds the script at `src` once, however often it is asked for; resolves
     with what read() finds after it ran. Data comes as scripts because
     browsers refuse fetch() on file://. A script that could not load is
     removed and may be asked for again. */
  function loadScript(src, read) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () {
          var value = read();
          if (value === undefined) reject(new Error(src + " defines nothing"));
          else resolve(value);
        };
        script.onerror = function () {
          delete loading[src];
          document.head.removeChild(script);
          reject(new Error(src + " could not be loaded"));
        };
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }

  /* The index of the last number in `sorted` (ascending) at or before
     `value`; 0 when even the first is past it. */
  function lastAtOrBefore(sorted, value) {
    var low = 0, high = sorted.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (sorted[middle] <= value) low = middle; else high = middle - 1;
    }
    return low;
  }

  /* The site's root, relative to this page. */
  function root() {
    return (document.body && document.body.getAttribute("data-root")) || "";
  }

  /* An element with its text as text: content never becomes markup here. */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* A link to a page given from the site root. */
  function link(url, text) {
    var a = element("a", "", text);
    a.href = root() + url;
    return a;
  }

  /* HTML the build rendered from Markdown (steps, notes, alternatives). */
  function prose(tag, html) {
    var node = element(tag, "prose");
    node.innerHTML = html;
    return node;
  }

  /* An issue as the theme's partials/issue.html shows it, rendered by the
     build for the path finder's page (its links are relative to it). */
  function issueElement(issue) {
    var holder = document.createElement("template");
    holder.innerHTML = issue.html;
    var item = holder.content.firstElementChild || element("li", "issue", issue.title);
    item.setAttribute("data-title", issue.title);
    return item;
  }

  /* Issues most serious first, by the order of the data's `severities`
     (stable: equals keep their order). */
  function bySeverity(core, found) {
    var rank = {};
    core.severities.forEach(function (word, i) { rank[word] = i; });
    return found.slice().sort(function (x, y) {
      return rank[x.issue.severity] - rank[y.issue.severity];
    });
  }

  /* The site's messages (data/messages.js, in the site's language; the
     build compiled each Fluent pattern to a string or a list of parts:
     text, {v: name} for a variable, {s: name, o: [[key, pattern]...],
     d: default} for a choice on one). */
  var NO_TABLE = { language: "en", messages: {} };

  /* The messages come from data/messages.js, beside this script's folder,
     loaded here rather than by a tag on every page (fifty bytes a page,
     and a base.html ejected before the messages existed has none): written
     into the page while it is still being read, it runs before any script
     after this one, so every script can ask for words at once. */
  if (!window.UpgradeAtlasMessages && document.readyState === "loading" && document.currentScript) {
    var own = document.currentScript.getAttribute("src") || "";
    var messagesSrc = own.replace(/assets\/common\.js$/, "data/messages.js");
    if (messagesSrc !== own) document.write("<script src=\"" + messagesSrc + "\"></script>");
  }

  /* Read when a message is asked for: data/messages.js runs after this. */
  function messages() {
    return window.UpgradeAtlasMessages || NO_TABLE;
  }
  var plurals = null;

  /* The plural rules of the built-in languages, for whole numbers (what
     the scripts count): the browser's Intl.PluralRules gives the same, but
     its first use loads the locale's data, tens of milliseconds that a
     search's first answer would wait for. Other languages ask Intl. */
  var WHOLE_NUMBER_PLURALS = {
    en: function (n) { return n === 1 ? "one" : "other"; },
    de: function (n) { return n === 1 ? "one" : "other"; },
    es: function (n) { return n === 1 ? "one" : "other"; },
    fr: function (n) { return n === 0 || n === 1 ? "one" : "other"; },
    ja: function () { return "other"; }
  };

  function pluralCategory(n) {
    if (!plurals) {
      var language = messages().language;
      var quick = WHOLE_NUMBER_PLURALS[language.split("-")[0].toLowerCase()];
      if (quick) plurals = { select: quick };
      else if (window.Intl && Intl.PluralRules) plurals = new Intl.PluralRules(language);
      else plurals = { select: WHOLE_NUMBER_PLURALS.en };
    }
    return plurals.select(n);
  }

  function choose(choice, args) {
    var value = args[choice.s];
    var options = choice.o;
    var i;
    for (i = 0; i < options.length; i += 1) {
      if (String(value) === options[i][0]) return options[i][1];
    }
    if (typeof value === "number") {
      var category = pluralCategory(value);
      for (i = 0; i < options.length; i += 1) {
        if (options[i][0] === category) return options[i][1];
      }
    }
    return options[choice.d][1];
  }

  /* A pattern's parts, flattened: strings, and the arguments themselves
     (a node stays a node, for phrase()). */
  function parts(pattern, args) {
    if (typeof pattern === "string") return [pattern];
    var out = [];
    pattern.forEach(function (part) {
      if (typeof part === "string") out.push(part);
      else if (part.v !== undefined) out.push(args[part.v] === undefined ? "{$" + part.v + "}" : args[part.v]);
      else if (part.s !== undefined) out.push.apply(out, parts(choose(part, args), args));
    });
    return out;
  }

  function format(pattern, args) {
    return parts(pattern, args).map(String).join("");
  }

  /* The message `key` with its placeholders filled from `args` (numbers
     pick their plural form); the key itself when the table lacks it. */
  function t(key, args) {
    var pattern = messages().messages[key];
    return pattern === undefined ? key : format(pattern, args || {});
  }

  /* An element saying the message `key`, where an argument that is a node
     (a link) stands in its place: "Scenario: <a>…</a>" in any word order. */
  function phrase(tag, className, key, args) {
    var node = element(tag, className);
    var pattern = messages().messages[key];
    var pieces = pattern === undefined ? [key] : parts(pattern, args || {});
    pieces.forEach(function (piece) {
      node.appendChild(piece instanceof Node ? piece : document.createTextNode(String(piece)));
    });
    return node;
  }

  window.UpgradeAtlasCommon = {
    loadScript: loadScript, lastAtOrBefore: lastAtOrBefore, root: root,
    element: element, link: link, prose: prose,
    issueElement: issueElement, bySeverity: bySeverity, t: t, phrase: phrase
  };
})();
