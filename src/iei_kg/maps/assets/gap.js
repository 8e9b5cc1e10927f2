"use strict";
// Evidence gap map: countermeasures (rows) x problems (columns); bubble = documents arguing the link.
(function () {
  const t0 = performance.now();
  const data = readData();
  const rows = data.rows, cols = data.columns, ev = data.evidence;   // ev: [row, col, doc, quote, start, end, page, section, actors]
  const view = document.getElementById("view"), panel = document.getElementById("panel");
  const stakeSel = document.getElementById("stakeholder"), docSel = document.getElementById("document");
  const summary = document.getElementById("summary");
  for (const [id, label] of data.stakeholders) stakeSel.appendChild(el("option", {value: id}, label + " (" + id + ")"));
  for (const d of data.documents) docSel.appendChild(el("option", {value: d}, d));

  const table = el("table", {class: "gap", id: "gap-table"});
  const thead = el("thead"), headRow = el("tr");
  headRow.appendChild(el("th", {class: "corner"}, "countermeasures \u2193 / problems \u2192"));
  cols.forEach((c, j) => {
    const th = el("th", {class: "col", "data-c": j, title: c.label + " (" + c.id + ")"});
    th.appendChild(el("div", null, c.label));
    headRow.appendChild(th);
  });
  thead.appendChild(headRow); table.appendChild(thead);
  const tbody = el("tbody"), cells = [];
  rows.forEach((r, i) => {
    const tr = el("tr");
    tr.appendChild(el("th", {title: r.label + " (" + r.id + ")"}, r.label));
    cells.push([]);
    cols.forEach((c, j) => {
      const td = el("td", {class: "cell", "data-r": i, "data-c": j});
      td.addEventListener("click", () => select(i, j));
      td.addEventListener("mouseenter", () => headRow.children[j + 1].classList.add("hl"));
      td.addEventListener("mouseleave", () => headRow.children[j + 1].classList.remove("hl"));
      tr.appendChild(td); cells[i].push(td);
    });
    tbody.appendChild(tr);
  });
  table.appendChild(tbody); view.appendChild(table);

  let current = null, selected = null;
  function visible(e) {
    if (stakeSel.value && e[8].indexOf(stakeSel.value) < 0) return false;
    if (docSel.value && e[2] !== docSel.value) return false;
    return true;
  }
  function compute() {
    const docs = rows.map(() => cols.map(() => new Set()));
    const quotes = rows.map(() => cols.map(() => []));
    for (const e of ev) if (visible(e)) { docs[e[0]][e[1]].add(e[2]); quotes[e[0]][e[1]].push(e); }
    return {docs, quotes};
  }
  function draw() {
    current = compute();
    let top = 1, filled = 0;
    for (const row of current.docs) for (const s of row) top = Math.max(top, s.size);
    rows.forEach((r, i) => cols.forEach((c, j) => {
      const td = cells[i][j], n = current.docs[i][j].size;
      clear(td);
      td.classList.toggle("gap", n === 0);
      td.classList.toggle("filled", n > 0);
      td.title = r.label + " \u2192 " + c.label + ": " + (n ? n + " document(s)" : "no document (gap)");
      if (n) {
        filled++;
        const size = Math.round(9 + 19 * Math.sqrt(n / top));
        const b = el("span", {class: "bubble"}, size >= 15 ? n : "");
        b.style.width = b.style.height = size + "px";
        td.appendChild(b);
      }
    }));
    summary.textContent = rows.length + " countermeasures \u00d7 " + cols.length + " problems: " + filled +
      " cell(s) with evidence, " + (rows.length * cols.length - filled) + " gap(s)";
    if (selected) select(selected[0], selected[1]);
  }
  function select(i, j) {
    if (selected) cells[selected[0]][selected[1]].classList.remove("selected");
    selected = [i, j];
    cells[i][j].classList.add("selected");
    const quotes = current.quotes[i][j], docs = Array.from(current.docs[i][j]).sort();
    clear(panel);
    panel.appendChild(el("h2", null, rows[i].label + " \u2192 " + cols[j].label));
    panel.appendChild(el("p", {class: "meta"}, rows[i].id + " addresses " + cols[j].id));
    if (!quotes.length) {
      panel.appendChild(el("p", {class: "meta gap-note"}, "No document argues this link (a gap)."));
      return;
    }
    panel.appendChild(el("p", {class: "meta"}, docs.length + " document(s): " + docs.join(", ")));
    panel.appendChild(el("h3", null, quotes.length + " evidence quote(s)"));
    for (const e of quotes) {
      const q = quoteBlock({doc: e[2], quote: e[3], start: e[4], end: e[5], page: e[6], section: e[7]});
      q.classList.add("evidence");
      if (e[8].length) q.appendChild(el("cite", null, "actors: " + e[8].join(", ")));
      panel.appendChild(q);
    }
  }
  stakeSel.addEventListener("change", draw);
  docSel.addEventListener("change", draw);
  draw();
  window.__mapReady = true;
  window.__mapRenderMs = performance.now() - t0;
})();
