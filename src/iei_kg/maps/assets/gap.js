"use strict";
// Evidence gap map: countermeasures (rows) x problems (columns); bubble = documents arguing the link.
(function () {
  const t0 = performance.now();
  const data = readData();
  const rows = data.rows, cols = data.columns, ev = data.evidence;   // ev: [row, col, doc, quote, start, end, page, section, actors]
  const view = document.getElementById("view"), panel = document.getElementById("panel");
  const stakeSel = document.getElementById("stakeholder"), docSel = document.getElementById("document");
  const summary = document.getElementById("summary");
  const colour = data.colour, meta = data.meta;   // meta: {doc: [type ("paper" | "policy" | "unknown"), year | null]}
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

  // Bubble colours (the same rules as data.cell_colour): type -> a pie of paper / policy / unknown shares;
  // year -> the documents' mean year on the sequential scale over the map's years; unknown metadata is grey.
  function typeCounts(docs) {
    const counts = {paper: 0, policy: 0, unknown: 0};
    for (const d of docs) counts[(meta[d] || ["unknown"])[0]]++;
    return counts;
  }
  function meanYear(docs) {
    let sum = 0, known = 0;
    for (const d of docs) { const y = (meta[d] || [])[1]; if (typeof y === "number") { sum += y; known++; } }
    return {year: known ? Math.round(sum / known * 10) / 10 : null, known: known, unknown: docs.size - known};
  }
  function yearColour(year) {
    if (year === null || !colour.years) return colour.unknown;
    const [low, high] = colour.years, stops = colour.stops;
    const t = high === low ? 0.5 : Math.min(Math.max((year - low) / (high - low), 0), 1);
    const pos = t * (stops.length - 1), i = Math.min(Math.floor(pos), stops.length - 2), f = pos - i;
    let out = "#";
    for (const k of [1, 3, 5]) {
      const c = Math.round(parseInt(stops[i].substr(k, 2), 16) * (1 - f) + parseInt(stops[i + 1].substr(k, 2), 16) * f);
      out += c.toString(16).padStart(2, "0");
    }
    return out;
  }
  function paint(bubble, docs) {
    // returns a phrase for the tooltip and the panel ("" when not coloured)
    if (colour.by === "type") {
      const counts = typeCounts(docs), parts = [], words = [];
      let from = 0;
      for (const k of ["paper", "policy", "unknown"]) {
        if (!counts[k]) continue;
        const to = from + 360 * counts[k] / docs.size;
        parts.push(colour.types[k] + " " + from + "deg " + to + "deg");
        words.push(counts[k] + " " + k);
        from = to;
      }
      bubble.style.background = "conic-gradient(" + parts.join(", ") + ")";
      bubble.setAttribute("data-paper", counts.paper);
      bubble.setAttribute("data-policy", counts.policy);
      bubble.setAttribute("data-unknown", counts.unknown);
      return words.join(", ");
    }
    if (colour.by === "year") {
      const y = meanYear(docs);
      bubble.style.background = yearColour(y.year);
      bubble.setAttribute("data-year", y.year === null ? "" : y.year);
      const missing = y.unknown && y.known ? " (" + y.unknown + " without a year)" : "";
      return (y.year === null ? "no year" : "mean year " + y.year) + missing;
    }
    bubble.style.background = colour.none;
    return "";
  }

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
        const phrase = paint(b, current.docs[i][j]);
        if (phrase) td.title += ": " + phrase;
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
    if (colour.by !== "none") {
      const phrase = paint(el("span"), current.docs[i][j]);
      panel.appendChild(el("p", {class: "meta", id: "cell-colour"}, (colour.by === "type" ? "types: " : "") + phrase));
    }
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
