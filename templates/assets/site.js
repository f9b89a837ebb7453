/* upgrade-atlas, on every page: what helps reading when JavaScript runs.
   Every page reads without it; this only makes a few things smoother.
   1. A link to an answer inside a closed <details> opens it (on arrival
      and when the anchor changes), so the reader never lands on a one-line
      heading.
   2. Before printing, every <details> opens (and closes again after), for
      browsers whose print stylesheet cannot open them.
   3. The search box in the header shows results as you type; Enter still
      opens the search page. It uses the engine of search.js, which loads
      the documents of only the results it shows. A page opened from a
      result (?q= in its address) marks the query's words.
   4. A matrix wider than its box opens on its newest columns, which
      readers look for first (a long-lived product has 132); its first
      column stays in view.
   5. A runbook's ticks are kept in this browser (localStorage, per
      runbook), so that a reader can close the page mid-upgrade.
   6. Each code block gets a button that copies its text.
   7. A page opened from a search result marks the query's words. */
(function () {
  "use strict";

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    for (var box = target.closest("details"); box; box = box.parentElement && box.parentElement.closest("details")) {
      box.open = true;
    }
    target.scrollIntoView();
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);

  Array.prototype.forEach.call(document.querySelectorAll(".matrix-wrap"), function (wrap) {
    wrap.scrollLeft = wrap.scrollWidth;
  });

  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  /* Copying a command. The clipboard API needs a secure context, which
     file:// is in Chromium but not everywhere: else the text is selected
     and copied the old way. */
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { copyBySelection(text, done); });
    } else {
      copyBySelection(text, done);
    }
  }
  function copyBySelection(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) done(); } catch (e) { /* nothing copied */ }
    document.body.removeChild(area);
  }
  function addCopyButtons(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("pre > code"), function (code) {
      var pre = code.parentNode;
      if (pre.parentNode.classList && pre.parentNode.classList.contains("code-block")) return;
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      var t = window.UpgradeAtlasCommon.t;
      button.textContent = t("script-copy");
      button.addEventListener("click", function () {
        copyText(code.textContent, function () {
          button.textContent = t("script-copied");
          setTimeout(function () { button.textContent = t("script-copy"); }, 1500);
        });
      });
      wrap.appendChild(button);
    });
  }
  addCopyButtons(document);
  /* The path finder and runbooks add code later. */
  window.UpgradeAtlasCopyButtons = addCopyButtons;

  /* Ticks of a runbook: kept under the runbook's key, by box id. Storage
     can be refused (private windows, file:// in some browsers): the boxes
     then work for this visit only. */
  function keepTicks(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("[data-runbook]"), function (runbook) {
      var key = "upgrade-atlas:runbook:" + runbook.getAttribute("data-runbook");
      var ticked = {};
      try { ticked = JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { ticked = {}; }
      var boxes = runbook.querySelectorAll("input[type=checkbox]");
      Array.prototype.forEach.call(boxes, function (box) {
        box.checked = ticked[box.id] === true;
        box.addEventListener("change", function () {
          if (box.checked) ticked[box.id] = true; else delete ticked[box.id];
          try { window.localStorage.setItem(key, JSON.stringify(ticked)); } catch (e) { /* kept for this visit */ }
        });
      });
    });
  }
  keepTicks(document);
  /* The path finder's runbooks (stacks.js) are made later. */
  window.UpgradeAtlasRunbookTicks = keepTicks;

  /* A page opened from a search result (?q= in its address, from disk
     too) marks the query's words in its main text, as the results did. */
  function markQuery() {
    var search = window.UpgradeAtlasSearch;
    var query = new URLSearchParams(window.location.search).get("q");
    var main = document.getElementById("main");
    if (!query || !search || !main || document.getElementById("search-query")) return;
    var matches = search.matcher(query, /^en(-|$)/i.test(document.documentElement.lang || ""));
    var texts = [];
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var parent = walker.currentNode.parentNode;
      if (!/^(SCRIPT|STYLE|MARK|TEXTAREA)$/.test(parent.nodeName) && /\S/.test(walker.currentNode.data)) {
        texts.push(walker.currentNode);
      }
    }
    texts.forEach(function (node) {
      var marked = document.createDocumentFragment();
      search.highlight(marked, node.data, matches);
      if (marked.querySelector("mark")) node.parentNode.replaceChild(marked, node);
    });
  }
  markQuery();

  var input = document.getElementById("site-search");
  var engine = window.UpgradeAtlasSearch;
  /* The search page has its own, larger results. */
  if (!input || !engine || document.getElementById("search-query")) return;
  var SHOWN = 8;
  var panel = document.createElement("div");
  panel.id = "site-search-results";
  panel.className = "live-results";
  panel.setAttribute("aria-live", "polite");
  panel.hidden = true;
  input.form.appendChild(panel);
  input.setAttribute("aria-controls", panel.id);

  function clear() {
    panel.textContent = "";
    panel.hidden = true;
  }

  function show(query, answer, found) {
    panel.textContent = "";
    panel.hidden = false;
    var status = document.createElement("p");
    status.className = "search-status";
    var t = window.UpgradeAtlasCommon.t;
    var corrected = answer.corrections.map(function (c) {
      return t("script-search-corrected", { word: c[0], shown: c[1] }) + " ";
    }).join("");
    status.textContent = corrected + (answer.total
      ? t("script-search-results", { count: answer.total, shown: engine.count(answer.total), query: query })
      : t("script-search-none", { query: query }));
    panel.appendChild(status);
    var list = document.createElement("ol");
    list.className = "search-results";
    found.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = engine.href(hit.doc.u, query);
      link.textContent = hit.doc.t;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + t("script-kind-" + hit.doc.k.toLowerCase());
      item.appendChild(link);
      item.appendChild(kind);
      list.appendChild(item);
    });
    if (found.length) panel.appendChild(list);
    var all = document.createElement("a");
    all.href = input.form.action + (input.form.action.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
    all.className = "all-results";
    all.textContent = answer.total > SHOWN
      ? t("script-search-all", { count: answer.total, shown: engine.count(answer.total) })
      : t("script-search-open-page");
    panel.appendChild(all);
  }

  var latest = 0;
  var timer = null;
  input.addEventListener("input", function () {
    engine.prefetch(input.value);
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = input.value.trim();
      var mine = ++latest;
      if (!engine.words(query).length) { clear(); return; }
      engine.search(query).then(function (answer) {
        return engine.page(answer, 0, SHOWN).then(function (found) {
          if (mine === latest) show(query, answer, found);
        });
      }).catch(function () {
        if (mine === latest) { panel.hidden = false; panel.textContent = window.UpgradeAtlasCommon.t("script-search-failed"); }
      });
    }, engine.WAIT_MS);
  });
  input.addEventListener("focus", engine.prepare);

  /* Arrow keys move between the box and the results; Escape goes back to
     the box, and from the box closes the results. */
  input.form.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
    if (!links.length || panel.hidden) return;
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus(); else links[at - 1].focus();
    } else if (event.key === "Escape") {
      if (at >= 0) input.focus(); else clear();
    }
  });
  document.addEventListener("click", function (event) {
    if (!input.form.contains(event.target)) clear();
  });
})();
