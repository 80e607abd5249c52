// Runs a built site's own search.js, unchanged, the way a page does, and prints what
// its results box shows for each query: `node search_js.js SITE_DIR QUERIES_JSON`.
//
// The page is a stand-in with just what search.js touches (elements, events,
// `location`); search-index.js is loaded when search.js appends its <script>, as a
// browser would. A query is entered and the form submitted; the box's summary and
// every listed hit (title, section, href, marked text) are read back from the
// elements search.js built. One JSON object per query on stdout, in order.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [site, queriesJson] = process.argv.slice(2);
const queries = JSON.parse(queriesJson);

class Element {
  constructor(tag) {
    this.tagName = tag;
    this.children = [];
    this.listeners = {};
    this.className = "";
    this.hidden = false;
    this.text = "";
  }
  appendChild(child) {
    this.children.push(child);
    if (this.onappend) this.onappend(child);
    return child;
  }
  addEventListener(type, f) {
    (this.listeners[type] = this.listeners[type] || []).push(f);
  }
  dispatch(type, event) {
    (this.listeners[type] || []).forEach((f) => f(event));
  }
  get textContent() {
    return this.text + this.children.map((c) => c.textContent).join("");
  }
  set textContent(value) {
    this.text = String(value);
    this.children = [];
  }
  contains(node) {
    return node === this || this.children.some((c) => c.contains(node));
  }
  // The descendants with this class, in document order.
  byClass(cls) {
    const here = this.className.split(" ").includes(cls) ? [this] : [];
    return here.concat(...this.children.map((c) => c.byClass(cls)));
  }
  byTag(tag) {
    const here = this.tagName === tag ? [this] : [];
    return here.concat(...this.children.map((c) => c.byTag(tag)));
  }
}

const input = new Element("input");
input.value = "";
input.form = new Element("form");
const box = new Element("div");
const head = new Element("head");
const document = new Element("#document");
document.head = head;
document.createElement = (tag) => new Element(tag);
document.createTextNode = (text) => {
  const node = new Element("#text");
  node.text = String(text);
  return node;
};
document.getElementById = (id) =>
  ({ "search-input": input, "search-results": box })[id] || null;

const page = {
  document,
  location: { search: "" },
  URLSearchParams,
  setTimeout,
  clearTimeout,
  console,
};
page.window = page;
const context = vm.createContext(page);

// A script element search.js appends is loaded after the current task, as in a page.
let loads = 0;
head.onappend = (script) => {
  loads++;
  setTimeout(() => {
    const file = path.join(site, script.src);
    vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
    script.onload();
  }, 0);
};

const file = path.join(site, "search.js");
vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
document.dispatch("DOMContentLoaded", {});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

(async () => {
  for (const query of queries) {
    input.value = query;
    let prevented = false;
    input.form.dispatch("submit", { preventDefault: () => (prevented = true) });
    await tick();
    await tick();
    const [summary] = box.byClass("summary");
    const hits = box.byTag("a").map((a) => {
      const [title] = a.byClass("hit-title");
      const [section] = a.byClass("hit-section");
      const [mark] = a.byTag("mark");
      return {
        title: title ? title.textContent : null,
        section: section ? section.textContent : "",
        href: a.href,
        mark: mark ? mark.textContent : null,
      };
    });
    const result = {
      query,
      prevented,
      hidden: box.hidden,
      summary: summary ? summary.textContent : null,
      hits,
      loads,
    };
    process.stdout.write(JSON.stringify(result) + "\n");
  }
})();
