"use strict";
// Concept network: SVG drawn from the layout computed in Python; pan (drag), zoom (wheel, buttons) via viewBox.
(function () {
  const t0 = performance.now();
  const NS = "http://www.w3.org/2000/svg";
  const data = readData();
  // nodes: [id, label, kind, documents, community, x, y, docs, evidence]; edges: [s, t, relation, weight, docs, evidence]
  const nodes = data.nodes, edges = data.edges;
  const svg = document.getElementById("net"), panel = document.getElementById("panel");
  const KIND = data.kind_colours, COMM = data.community_colours;
  function svgEl(tag, attrs) { const n = document.createElementNS(NS, tag); for (const k in attrs) n.setAttribute(k, attrs[k]); return n; }
  const gEdges = svgEl("g", {}), gNodes = svgEl("g", {}), gLabels = svgEl("g", {});
  svg.appendChild(gEdges); svg.appendChild(gNodes); svg.appendChild(gLabels);
  const topDocs = Math.max(1, ...nodes.map(n => n[3]));
  const radius = nodes.map(n => 5 + 11 * Math.sqrt(n[3] / topDocs));
  const nodeEls = [], labelEls = [], nodeEdges = nodes.map(() => []);
  // Edges are drawn as a few <path> elements (one per relation and width), not one element each: thousands of
  // edges then cost little to pan and zoom. A click that hits no node picks the nearest edge (see pickEdge).
  const edgeWidth = edges.map(e => Math.min(e[3], 5));
  let edgeHidden = edges.map(() => false);
  const selPath = svgEl("path", {class: "edge sel"});
  edges.forEach((e, k) => { nodeEdges[e[0]].push(k); nodeEdges[e[1]].push(k); });
  function segment(e) { const a = nodes[e[0]], b = nodes[e[1]]; return "M" + a[5] + " " + a[6] + "L" + b[5] + " " + b[6]; }
  function drawEdges() {
    const groups = new Map();
    edges.forEach((e, k) => {
      if (edgeHidden[k]) return;
      const key = e[2] + " " + edgeWidth[k];
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(segment(e));
    });
    clear(gEdges);
    for (const [key, parts] of groups) {
      const [relation, width] = key.split(" ");
      gEdges.appendChild(svgEl("path", {class: "edge " + relation, d: parts.join(""), "stroke-width": width}));
    }
    gEdges.appendChild(selPath);
  }
  function markEdges(list) { selPath.setAttribute("d", list.map(k => segment(edges[k])).join("")); }
  const order = nodes.map((n, i) => i).sort((i, j) => nodes[j][3] - nodes[i][3]);
  order.slice().reverse().forEach(i => {   // big nodes drawn last, on top
    const n = nodes[i];
    const c = svgEl("circle", {class: "node", cx: n[5], cy: n[6], r: radius[i], "data-id": n[0]});
    const t = svgEl("title", {}); t.textContent = n[1] + " (" + n[0] + ", " + n[3] + " doc.)"; c.appendChild(t);
    c.addEventListener("click", ev => { if (!moved) { ev.stopPropagation(); selectNode(i); } });
    gNodes.appendChild(c); nodeEls[i] = c;
    const label = svgEl("text", {class: "label", x: n[5], y: n[6] - radius[i] - 3});
    label.textContent = n[1].length > 42 ? n[1].slice(0, 40) + "\u2026" : n[1];
    gLabels.appendChild(label); labelEls[i] = label;
  });

  // colours
  const colourSel = document.getElementById("colour");
  function colour(i) {
    const n = nodes[i];
    return colourSel.value === "community" ? COMM[(n[4] - 1) % COMM.length] : KIND[n[2]];
  }
  function paint() {
    nodes.forEach((n, i) => nodeEls[i].setAttribute("fill", colour(i)));
    const legend = document.getElementById("legend"); clear(legend);
    const items = colourSel.value === "community"
      ? Array.from(new Set(nodes.map(n => n[4]))).sort((a, b) => a - b).slice(0, 10).map(c => ["community " + c, COMM[(c - 1) % COMM.length]])
      : Object.keys(KIND).map(k => [k, KIND[k]]);
    for (const [name, c] of items) {
      const s = el("span", {class: "swatch"}); s.style.background = c;
      const item = el("span"); item.appendChild(s); item.appendChild(document.createTextNode(name + "  "));
      legend.appendChild(item);
    }
  }
  colourSel.addEventListener("change", paint);

  // filters
  const kindBoxes = Array.from(document.querySelectorAll("input[data-kind]"));
  const relBoxes = Array.from(document.querySelectorAll("input[data-relation]"));
  const shownCount = document.getElementById("shown");
  let hiddenNode = nodes.map(() => false);
  function applyFilters() {
    const kinds = new Set(kindBoxes.filter(b => b.checked).map(b => b.dataset.kind));
    const rels = new Set(relBoxes.filter(b => b.checked).map(b => b.dataset.relation));
    hiddenNode = nodes.map(n => !kinds.has(n[2]));
    let shown = 0;
    nodes.forEach((n, i) => {
      nodeEls[i].classList.toggle("hidden", hiddenNode[i]); labelEls[i].classList.toggle("hidden", hiddenNode[i]);
      if (!hiddenNode[i]) shown++;
    });
    edgeHidden = edges.map(e => hiddenNode[e[0]] || hiddenNode[e[1]] || !rels.has(e[2]));
    drawEdges();
    shownCount.textContent = shown + " of " + nodes.length + " concepts";
    placeLabels();
  }
  kindBoxes.concat(relBoxes).forEach(b => b.addEventListener("change", applyFilters));
  document.getElementById("all-labels").addEventListener("change", ev => svg.classList.toggle("all-labels", ev.target.checked));

  // search
  const search = document.getElementById("search"), found = document.getElementById("found");
  let matches = [];
  function runSearch() {
    const q = search.value.trim().toLowerCase();
    matches = [];
    nodes.forEach((n, i) => {
      const hit = q !== "" && (n[1].toLowerCase().indexOf(q) >= 0 || n[0].toLowerCase().indexOf(q) >= 0);
      nodeEls[i].classList.toggle("match", hit); labelEls[i].classList.toggle("match", hit);
      if (hit) matches.push(i);
    });
    svg.classList.toggle("searching", q !== "");
    found.textContent = q === "" ? "" : matches.length + " found";
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", ev => {
    if (ev.key === "Enter" && matches.length) { const i = matches[0]; selectNode(i); centre(nodes[i][5], nodes[i][6], 250); }
  });

  // pan and zoom (viewBox)
  const full = (function () {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach((n, i) => { x0 = Math.min(x0, n[5] - radius[i]); y0 = Math.min(y0, n[6] - radius[i] - 14);
      x1 = Math.max(x1, n[5] + radius[i]); y1 = Math.max(y1, n[6] + radius[i]); });
    if (!nodes.length) return {x: 0, y: 0, w: 100, h: 100};
    const pad = 40; return {x: x0 - pad, y: y0 - pad, w: x1 - x0 + 2 * pad, h: y1 - y0 + 2 * pad};
  })();
  let vb = Object.assign({}, full);
  function setView() {
    const W = svg.clientWidth || 800, H = svg.clientHeight || 600;
    // keep the aspect ratio of the element so that a data unit is square
    const scale = Math.max(vb.w / W, vb.h / H);
    const w = W * scale, h = H * scale, cx = vb.x + vb.w / 2, cy = vb.y + vb.h / 2;
    vb = {x: cx - w / 2, y: cy - h / 2, w: w, h: h};
    svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h);
    settle();
  }
  // Labels are re-sized and re-placed once the view has settled, not on every frame of a zoom or pan; a large
  // network hides its edges while it moves (redrawing thousands of them is most of a frame's cost).
  let settleTimer = 0;
  const hideEdgesOnMove = edges.length > 1000;
  function settle() {
    clearTimeout(settleTimer);
    if (hideEdgesOnMove) svg.classList.add("moving");
    settleTimer = setTimeout(() => { svg.classList.remove("moving"); relabel(); }, 120);
  }
  // Node discs grow with the square root of the zoom, not with the zoom itself, so deep zooms stay readable.
  let fitScale = 0;
  const curR = radius.slice();
  function resize(s) {
    if (!fitScale) fitScale = s;
    const f = Math.min(1, Math.sqrt(s / fitScale));
    nodes.forEach((n, i) => {
      const r = radius[i] * f;
      if (Math.abs(r - curR[i]) < 1e-3) return;
      curR[i] = r; nodeEls[i].setAttribute("r", r.toFixed(2)); labelEls[i].setAttribute("y", (n[6] - r - 3).toFixed(2));
    });
  }
  function relabel() {
    const s = vb.w / (svg.clientWidth || 800);
    resize(s);
    gLabels.style.fontSize = (12 * s).toFixed(3) + "px";
    gLabels.style.strokeWidth = (3 * s).toFixed(3) + "px";
    placeLabelsNow();
  }
  // Show the labels of the largest visible nodes that fit on screen without overlapping (screen-space grid).
  let labelFrame = 0;
  function placeLabels() {
    if (!labelFrame) labelFrame = requestAnimationFrame(() => { labelFrame = 0; placeLabelsNow(); });
  }
  function placeLabelsNow() {
    const W = svg.clientWidth || 800, H = svg.clientHeight || 600, s = vb.w / W, cell = 60, grid = new Map();
    let shown = 0;
    for (const i of order) {
      const lab = labelEls[i];
      let show = false;
      if (!hiddenNode[i] && shown < 200) {
        const n = nodes[i], text = lab.textContent;
        const w = text.length * 6.6 + 4, h = 15;
        const x = (n[5] - vb.x) / s - w / 2, y = (n[6] - curR[i] - vb.y) / s - h - 2;
        if (x + w > 0 && y + h > 0 && x < W && y < H) {
          const box = [x, y, x + w, y + h + curR[i] / s + 2];   // the label and the top of its node
          const keys = [];
          for (let gx = Math.floor(box[0] / cell); gx <= Math.floor(box[2] / cell); gx++)
            for (let gy = Math.floor(box[1] / cell); gy <= Math.floor(box[3] / cell); gy++) keys.push(gx + "," + gy);
          const clash = keys.some(k => (grid.get(k) || []).some(b => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]));
          if (!clash) {
            keys.forEach(k => { if (!grid.has(k)) grid.set(k, []); grid.get(k).push(box); });
            show = true; shown++;
          }
        }
      }
      lab.classList.toggle("major", show);
    }
  }
  function zoom(factor, px, py) {
    const W = svg.clientWidth || 800, H = svg.clientHeight || 600;
    const fx = px === undefined ? 0.5 : px / W, fy = py === undefined ? 0.5 : py / H;
    const mx = vb.x + fx * vb.w, my = vb.y + fy * vb.h;
    const w = Math.min(Math.max(vb.w * factor, 20), full.w * 8), h = vb.h * (w / vb.w);
    vb = {x: mx - fx * w, y: my - fy * h, w: w, h: h};
    setView();
  }
  function centre(x, y, w) { const h = vb.h * (w / vb.w); vb = {x: x - w / 2, y: y - h / 2, w: w, h: h}; setView(); }
  svg.addEventListener("wheel", ev => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoom(Math.exp(ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  }, {passive: false});
  let drag = null, moved = false;
  svg.addEventListener("pointerdown", ev => { drag = {x: ev.clientX, y: ev.clientY, vb: Object.assign({}, vb)}; moved = false; });
  window.addEventListener("pointermove", ev => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    moved = true; svg.classList.add("dragging");
    const s = vb.w / (svg.clientWidth || 800);
    vb = {x: drag.vb.x - dx * s, y: drag.vb.y - dy * s, w: vb.w, h: vb.h};
    svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h);
    settle();
  });
  window.addEventListener("pointerup", () => { drag = null; svg.classList.remove("dragging"); setTimeout(() => { moved = false; }, 0); });
  function pickEdge(ev) {
    const r = svg.getBoundingClientRect(), s = vb.w / (svg.clientWidth || 800);
    const px = vb.x + (ev.clientX - r.left) * s, py = vb.y + (ev.clientY - r.top) * s;
    let best = -1, bestD = 6 * s;
    edges.forEach((e, k) => {
      if (edgeHidden[k]) return;
      const a = nodes[e[0]], b = nodes[e[1]], dx = b[5] - a[5], dy = b[6] - a[6];
      const t = Math.max(0, Math.min(1, ((px - a[5]) * dx + (py - a[6]) * dy) / (dx * dx + dy * dy || 1)));
      const d = Math.hypot(px - a[5] - t * dx, py - a[6] - t * dy);
      if (d < bestD) { bestD = d; best = k; }
    });
    return best;
  }
  svg.addEventListener("click", ev => {
    if (moved) return;
    const k = pickEdge(ev);
    if (k >= 0) selectEdge(k); else clearSelection();
  });
  document.getElementById("zoom-in").addEventListener("click", () => zoom(1 / 1.4));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(1.4));
  document.getElementById("reset").addEventListener("click", () => { vb = Object.assign({}, full); setView(); });
  window.addEventListener("resize", setView);

  // selection and the evidence panel
  let selNode = null, selEdges = [];
  function clearSelection() {
    if (selNode !== null) { nodeEls[selNode].classList.remove("sel"); labelEls[selNode].classList.remove("sel"); }
    selNode = null; selEdges = []; markEdges([]);
  }
  function docsLine(docs) { return el("p", {class: "meta"}, "documents: " + (docs || "none")); }
  function selectNode(i) {
    clearSelection();
    selNode = i; nodeEls[i].classList.add("sel"); labelEls[i].classList.add("sel");
    selEdges = nodeEdges[i].slice(); markEdges(selEdges);
    const n = nodes[i];
    clear(panel);
    panel.appendChild(el("h2", null, n[1]));
    panel.appendChild(el("p", {class: "meta"}, n[0] + " \u00b7 " + n[2] + " \u00b7 community " + n[4]));
    panel.appendChild(el("p", {class: "meta"}, n[3] + " document(s)"));
    panel.appendChild(docsLine(n[7]));
    if (nodeEdges[i].length) {
      panel.appendChild(el("h3", null, nodeEdges[i].length + " link(s)"));
      nodeEdges[i].slice().sort((a, b) => edges[b][3] - edges[a][3]).forEach(k => {
        const e = edges[k];
        const b = el("button", {class: "linkbtn"}, nodes[e[0]][1] + " \u2014" + e[2] + "\u2192 " + nodes[e[1]][1] + " (" + e[3] + " doc.)");
        b.addEventListener("click", () => selectEdge(k));
        panel.appendChild(b);
      });
    }
    if (n[8].length) {
      panel.appendChild(el("h3", null, "Evidence (" + n[8].length + (n[8].length >= 20 ? "+" : "") + " quote(s))"));
      n[8].forEach(e => panel.appendChild(quoteBlock(e)));
    }
  }
  function selectEdge(k) {
    clearSelection();
    const e = edges[k];
    selEdges = [k]; markEdges(selEdges);
    clear(panel);
    panel.appendChild(el("h2", null, nodes[e[0]][1] + " \u2014" + e[2] + "\u2192 " + nodes[e[1]][1]));
    panel.appendChild(el("p", {class: "meta"}, nodes[e[0]][0] + " " + e[2] + " " + nodes[e[1]][0] + " \u00b7 " + e[3] + " document(s)"));
    panel.appendChild(docsLine(e[4]));
    panel.appendChild(el("h3", null, "Evidence (" + e[5].length + " quote(s))"));
    e[5].forEach(q => panel.appendChild(quoteBlock(q)));
  }

  paint(); applyFilters(); setView(); relabel();
  window.__mapReady = true;
  window.__mapRenderMs = performance.now() - t0;
  window.__mapApi = {selectNode: selectNode, selectEdge: selectEdge, zoom: zoom, edgeCount: () => edgeHidden.filter(h => !h).length,
    // for measuring: the main-thread work of one zoom step, and of re-placing the labels after it (style and layout
    // forced, painting not included)
    timeZoom: factor => { const t = performance.now(); zoom(factor); svg.getBoundingClientRect(); document.body.offsetHeight; return performance.now() - t; },
    timeRelabel: () => { const t = performance.now(); relabel(); gLabels.getBBox(); return performance.now() - t; }};
})();
