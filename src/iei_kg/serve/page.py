"""The offline query page served at `/`: a textarea, the named queries as examples, a results table.

Vanilla JavaScript inline (no CDN); every value from the server is inserted with textContent, never innerHTML.
The script's hash goes into the page's Content-Security-Policy (see app.py).
"""

from __future__ import annotations

SCRIPT = r"""
"use strict";
const $ = (id) => document.getElementById(id);
const examples = {};
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
function cell(tag, value) { const c = document.createElement(tag); c.textContent = value; return c; }
function show(message) { clear($("out")); $("out").appendChild(cell("pre", message)); }
function termText(t) {
  if (!t) return "";
  if (t.type === "literal" && t["xml:lang"]) return t.value + " @" + t["xml:lang"];
  return t.value;
}
function table(data) {
  const out = $("out"); clear(out);
  const vars = data.head.vars || [];
  const rows = data.results.bindings;
  out.appendChild(cell("p", rows.length + " row(s)" + ($("trunc").value ? " - " + $("trunc").value : "")));
  const t = document.createElement("table");
  const head = document.createElement("tr");
  vars.forEach((v) => head.appendChild(cell("th", v)));
  t.appendChild(head);
  rows.forEach((row) => {
    const tr = document.createElement("tr");
    vars.forEach((v) => tr.appendChild(cell("td", termText(row[v]))));
    t.appendChild(tr);
  });
  out.appendChild(t);
}
async function run() {
  show("running ...");
  const body = new URLSearchParams({ query: $("query").value });
  try {
    const r = await fetch("sparql", { method: "POST", body: body,
      headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" } });
    const type = r.headers.get("Content-Type") || "";
    $("trunc").value = r.headers.get("X-Result-Truncated") ? "truncated at the server's row limit" : "";
    if (!r.ok) { show("Error " + r.status + ": " + await r.text()); return; }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await r.json();
      if (typeof data.boolean === "boolean") show("ASK: " + data.boolean); else table(data);
    } else {
      show(await r.text());
    }
  } catch (e) { show("Request failed: " + e); }
}
async function load() {
  const r = await fetch("queries");
  if (!r.ok) return;
  const list = await r.json();
  list.forEach((q) => {
    examples[q.name] = q;
    const o = document.createElement("option");
    o.value = q.name; o.textContent = q.name;
    $("examples").appendChild(o);
  });
}
$("examples").addEventListener("change", () => {
  const q = examples[$("examples").value];
  if (!q) return;
  $("query").value = q.sparql;
  const params = Object.keys(q.params);
  $("about").textContent = q.description + (params.length ? " Parameters (unbound here, so every value is returned;"
    + " bind them with GET queries/" + q.name + "?" + params.map((p) => p + "=...").join("&") + "): "
    + params.map((p) => p + " (" + q.params[p].kind + ")").join(", ") : "");
});
$("run").addEventListener("click", run);
load();
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>iei-kg SPARQL</title>
<style>
body { font-family: sans-serif; margin: 1.5em; max-width: 80em; }
textarea { width: 100%; height: 16em; font-family: monospace; }
table { border-collapse: collapse; margin-top: 1em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
pre { white-space: pre-wrap; }
</style>
</head>
<body>
<h1>iei-kg SPARQL endpoint</h1>
<p>Queries run over the union of all named graphs. Endpoint: <code>sparql</code>; named queries: <code>queries</code>;
dataset description: <code>.well-known/void</code>.</p>
<label>Example: <select id="examples"><option value="">(choose a named query)</option></select></label>
<p id="about"></p>
<textarea id="query" spellcheck="false">PREFIX iei: <https://w3id.org/iei-kg/ontology#>
SELECT ?type (COUNT(?s) AS ?statements) WHERE { ?s a ?type ; iei:concept ?c } GROUP BY ?type</textarea>
<p><button id="run" type="button">Run</button><input id="trunc" type="hidden" value=""></p>
<div id="out"></div>
<script>__SCRIPT__</script>
</body>
</html>
"""


def page_html(script_only: bool = False) -> str:
    return SCRIPT if script_only else PAGE.replace("__SCRIPT__", SCRIPT)
