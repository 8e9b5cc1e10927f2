"use strict";
// Shared helpers. Every text from the documents is inserted with textContent, never as HTML.
function el(tag, attrs, text) {
  const node = document.createElement(tag);
  if (attrs) for (const k in attrs) node.setAttribute(k, attrs[k]);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
function quoteBlock(e) {
  // e: {doc, quote, start, end, page, section}
  const box = el("div", {class: "quote"});
  box.appendChild(el("q", null, String(e.quote).replace(/\s+/g, " ")));
  let where = e.doc + ", chars " + e.start + "\u2013" + e.end;
  if (e.page) where += ", p. " + e.page;
  if (e.section) where += " \u00b7 " + e.section;
  box.appendChild(el("cite", null, where));
  return box;
}
function readData() { return JSON.parse(document.getElementById("map-data").textContent); }
