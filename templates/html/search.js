// Full-text search for the huibian HTML edition: a phrase search over character
// bigrams (see src/html/search.rs). The index is a script beside this one,
// loaded on first use, so the search also works from a folder opened from disk.
(function () {
  "use strict";
  var MAX_HITS = 100;
  var input, box, index = null, loading = false, timer = null;

  function fold(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
      if (c >= 65 && c <= 90) c += 32;
      out += String.fromCharCode(c);
    }
    return out;
  }
  // Letters and digits (Han included); the index has no bigram with anything else.
  function isWord(ch) { return /[\p{L}\p{N}]/u.test(ch); }
  function bigrams(term) {
    var chars = Array.from(term), grams = [];
    for (var i = 0; i + 1 < chars.length; i++) {
      if (isWord(chars[i]) && isWord(chars[i + 1])) grams.push(chars[i] + chars[i + 1]);
    }
    return grams;
  }
  function postings(gram) {
    var deltas = index.grams[gram];
    if (!deltas) return null;
    var out = new Set(), n = 0;
    for (var i = 0; i < deltas.length; i++) { n += deltas[i]; out.add(n); }
    return out;
  }

  // The paragraphs matching every term: all its bigrams, then the term itself.
  function find(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) return [];
    var candidates = null;
    for (var t = 0; t < terms.length; t++) {
      var grams = bigrams(terms[t]);
      for (var g = 0; g < grams.length; g++) {
        var list = postings(grams[g]);
        if (!list) return [];
        if (candidates === null) candidates = list;
        else {
          var both = new Set();
          candidates.forEach(function (n) { if (list.has(n)) both.add(n); });
          candidates = both;
        }
      }
    }
    var ids = candidates === null ? index.paras.map(function (_, n) { return n; })
      : Array.from(candidates).sort(function (a, b) { return a - b; });
    var hits = [];
    for (var i = 0; i < ids.length; i++) {
      var para = index.paras[ids[i]], text = fold(para[2]);
      var at = text.indexOf(terms[0]);
      if (at < 0 || !terms.every(function (term) { return text.indexOf(term) >= 0; })) continue;
      var section = index.sections[para[0]], page = index.pages[section[0]];
      hits.push({
        page: page[1], section: section[2], text: para[2], at: at, length: terms[0].length,
        href: page[0] + "#" + (para[1] ? page[2] + "-" + para[1] : page[2]),
      });
    }
    return hits;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  // A snippet around the first match, the match marked; built as text, never HTML.
  function snippet(hit) {
    var span = el("span", "hit-snippet"), before = 40, after = 60;
    var start = Math.max(0, hit.at - before), end = Math.min(hit.text.length, hit.at + hit.length + after);
    span.appendChild(document.createTextNode((start > 0 ? "…" : "") + hit.text.slice(start, hit.at)));
    span.appendChild(el("mark", null, hit.text.slice(hit.at, hit.at + hit.length)));
    span.appendChild(document.createTextNode(hit.text.slice(hit.at + hit.length, end) + (end < hit.text.length ? "…" : "")));
    return span;
  }

  function show(query) {
    box.textContent = "";
    if (!query.trim()) { box.hidden = true; return; }
    box.hidden = false;
    if (!index) { box.appendChild(el("p", "summary", "正在载入索引…")); return; }
    var hits = find(query);
    var summary = hits.length ? "找到 " + hits.length + " 处" + (hits.length > MAX_HITS ? "，显示前 " + MAX_HITS + " 处" : "")
      : "没有找到“" + query.trim() + "”";
    box.appendChild(el("p", "summary", summary));
    if (!hits.length) return;
    var list = el("ol", "hits");
    hits.slice(0, MAX_HITS).forEach(function (hit) {
      var a = el("a");
      a.href = hit.href;
      a.appendChild(el("span", "hit-title", hit.page));
      if (hit.section) a.appendChild(el("span", "hit-section", hit.section));
      a.appendChild(snippet(hit));
      a.addEventListener("click", function () { box.hidden = true; });
      var li = el("li");
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function load(then) {
    if (index) { then(); return; }
    if (window.HUIBIAN_SEARCH) { index = window.HUIBIAN_SEARCH; then(); return; }
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = "search-index.js";
    script.onload = function () { index = window.HUIBIAN_SEARCH || null; then(); };
    script.onerror = function () { loading = false; box.hidden = false; box.textContent = ""; box.appendChild(el("p", "summary", "无法载入搜索索引")); };
    document.head.appendChild(script);
  }

  function update() {
    var query = input.value;
    load(function () { show(input.value); });
    show(query);
  }

  document.addEventListener("DOMContentLoaded", function () {
    input = document.getElementById("search-input");
    box = document.getElementById("search-results");
    if (!input || !box) return;
    input.addEventListener("focus", function () { load(function () {}); });
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 120); });
    input.form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); update(); });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") box.hidden = true; });
    document.addEventListener("click", function (e) {
      if (!box.contains(e.target) && e.target !== input) box.hidden = true;
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; update(); }
  });
})();
