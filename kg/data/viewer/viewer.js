/* kg viewer: legend, filters, search and the side panel around a vis-network canvas.
 *
 * Every string from the corpus reaches the page through textContent or
 * createTextNode, never through innerHTML, so titles and abstracts are shown
 * as text whatever characters they contain. window.kgReady turns true after
 * the first complete drawing of the graph; tests and the load benchmark wait
 * for it.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var N = data.nodes.length;
  var E = data.edges.length;
  var SHOW_FIRST = 20;

  var kindInfo = {};
  data.kinds.forEach(function (kind) { kindInfo[kind.name] = kind; });
  var edgeInfo = {};
  var edgeOrder = {};
  data.edgeTypes.forEach(function (type, position) {
    edgeInfo[type.name] = type;
    edgeOrder[type.name] = position;
  });

  var idIndex = new Map();
  data.details.forEach(function (detail, i) { idIndex.set(detail.id, i); });
  var outEdges = [];
  var inEdges = [];
  for (var n = 0; n < N; n++) { outEdges.push([]); inEdges.push([]); }
  data.edges.forEach(function (edge) {
    outEdges[edge.from].push(edge.id);
    inEdges[edge.to].push(edge.id);
  });

  var state = {
    kinds: new Set(data.kinds.map(function (k) { return k.name; })),
    edgeTypes: new Set(data.edgeTypes.map(function (t) { return t.name; })),
    minDegree: 0
  };
  var visibleNode = new Uint8Array(N);
  var visibleEdge = new Uint8Array(E);
  var shownNodes = 0;
  var shownEdges = 0;

  function computeVisibility() {
    var degree = new Int32Array(N);
    var i, edge;
    for (i = 0; i < E; i++) {
      edge = data.edges[i];
      if (state.edgeTypes.has(edge.type) && state.kinds.has(data.nodes[edge.from].group) &&
          state.kinds.has(data.nodes[edge.to].group)) {
        degree[edge.from]++;
        degree[edge.to]++;
      }
    }
    shownNodes = 0;
    for (i = 0; i < N; i++) {
      var on = state.kinds.has(data.nodes[i].group) && degree[i] >= state.minDegree;
      visibleNode[i] = on ? 1 : 0;
      shownNodes += visibleNode[i];
    }
    shownEdges = 0;
    for (i = 0; i < E; i++) {
      edge = data.edges[i];
      var shown = state.edgeTypes.has(edge.type) && visibleNode[edge.from] === 1 && visibleNode[edge.to] === 1;
      visibleEdge[i] = shown ? 1 : 0;
      shownEdges += visibleEdge[i];
    }
  }

  computeVisibility();
  // Labels are drawn by drawLabels below, not by vis-network. The hover tooltip is a
  // plain string, which vis-network shows as text (innerText), never as markup.
  var nodes = new vis.DataSet(data.nodes.map(function (node, i) {
    var copy = Object.assign({}, node);
    delete copy.label;
    var detail = data.details[i];
    copy.title = (detail.title !== undefined ? detail.title : detail.label) + "\n" + node.group +
      " \u00b7 " + node.degree + (node.degree === 1 ? " link" : " links");
    return copy;
  }));
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, { filter: function (node) { return visibleNode[node.id] === 1; } });
  var edgeView = new vis.DataView(edges, { filter: function (edge) { return visibleEdge[edge.id] === 1; } });
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);

  var status = document.getElementById("kg-status");
  function updateStatus() {
    status.textContent = "Showing " + shownNodes.toLocaleString("en") + " of " + N.toLocaleString("en") +
      " nodes \u00b7 " + shownEdges.toLocaleString("en") + " of " + E.toLocaleString("en") + " edges";
  }

  function applyFilters() {
    computeVisibility();
    nodeView.refresh();
    edgeView.refresh();
    updateStatus();
    if (current !== null && !visibleNode[current]) { network.unselectAll(); }
  }

  /* ---------- small DOM helpers: text only ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function shapeSwatch(shape, color, size) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("class", "kg-swatch");
    svg.setAttribute("aria-hidden", "true");
    var item;
    if (shape === "square" || shape === "box") {
      item = document.createElementNS(SVG, "rect");
      item.setAttribute("x", "3"); item.setAttribute("y", "3");
      item.setAttribute("width", "14"); item.setAttribute("height", "14");
    } else if (shape === "dot" || shape === "circle" || shape === "ellipse") {
      item = document.createElementNS(SVG, "circle");
      item.setAttribute("cx", "10"); item.setAttribute("cy", "10"); item.setAttribute("r", "7");
    } else {
      var points = {
        diamond: "10,2 18,10 10,18 2,10",
        triangle: "10,2 18,17 2,17",
        triangleDown: "2,3 18,3 10,18",
        star: "10,1.5 12.4,7.2 18.5,7.6 13.8,11.6 15.3,17.6 10,14.3 4.7,17.6 6.2,11.6 1.5,7.6 7.6,7.2",
        hexagon: "5,2.5 15,2.5 19,10 15,17.5 5,17.5 1,10"
      }[shape] || "3,3 17,3 17,17 3,17";
      item = document.createElementNS(SVG, "polygon");
      item.setAttribute("points", points);
    }
    item.setAttribute("fill", color);
    item.setAttribute("stroke", "rgba(0,0,0,0.35)");
    item.setAttribute("stroke-width", "1");
    svg.appendChild(item);
    return svg;
  }

  function edgeSwatch(color) {
    var swatch = el("span", "kg-edge-swatch");
    swatch.style.background = color;
    return swatch;
  }

  function badge(kind) {
    var info = kindInfo[kind];
    var span = el("span", "kg-badge", kind);
    span.style.background = info ? info.color : "#777777";
    return span;
  }

  /* ---------- legend and filters ---------- */

  function legendRow(list, name, count, swatch, onToggle) {
    var li = el("li");
    if (!count) { li.className = "kg-empty"; }
    var label = el("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = name;
    box.addEventListener("change", function () { onToggle(name, box.checked); });
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", "kg-name", name));
    label.appendChild(el("span", "kg-count", count.toLocaleString("en")));
    li.appendChild(label);
    list.appendChild(li);
    return box;
  }

  var kindBoxes = {};
  var kindList = document.getElementById("kg-kinds");
  data.kinds.forEach(function (kind) {
    kindBoxes[kind.name] = legendRow(kindList, kind.name, kind.count, shapeSwatch(kind.shape, kind.color, 16),
      function (name, on) {
        if (on) { state.kinds.add(name); } else { state.kinds.delete(name); }
        applyFilters();
      });
  });
  var edgeBoxes = {};
  var edgeList = document.getElementById("kg-edge-types");
  data.edgeTypes.forEach(function (type) {
    edgeBoxes[type.name] = legendRow(edgeList, type.name, type.count, edgeSwatch(type.color),
      function (name, on) {
        if (on) { state.edgeTypes.add(name); } else { state.edgeTypes.delete(name); }
        applyFilters();
      });
  });

  // The slider steps through degrees that occur, so its whole length is useful.
  var thresholds = (function () {
    var seen = new Set([0]);
    data.nodes.forEach(function (node) { seen.add(node.degree); });
    var all = Array.from(seen).sort(function (a, b) { return a - b; });
    if (all.length <= 60) { return all; }
    var picked = [];
    for (var k = 0; k < 60; k++) { picked.push(all[Math.round(k * (all.length - 1) / 59)]); }
    return Array.from(new Set(picked));
  })();
  var slider = document.getElementById("kg-min-degree");
  var sliderValue = document.getElementById("kg-min-degree-value");
  slider.max = String(thresholds.length - 1);
  slider.value = "0";
  function setMinDegree(step) {
    slider.value = String(step);
    state.minDegree = thresholds[step] || 0;
    sliderValue.textContent = String(state.minDegree);
  }
  slider.addEventListener("input", function () { sliderValue.textContent = String(thresholds[Number(slider.value)]); });
  slider.addEventListener("change", function () { setMinDegree(Number(slider.value)); applyFilters(); });

  function resetFilters() {
    data.kinds.forEach(function (k) { state.kinds.add(k.name); kindBoxes[k.name].checked = true; });
    data.edgeTypes.forEach(function (t) { state.edgeTypes.add(t.name); edgeBoxes[t.name].checked = true; });
    setMinDegree(0);
    applyFilters();
  }
  document.getElementById("kg-reset").addEventListener("click", resetFilters);
  document.getElementById("kg-fit").addEventListener("click", function () {
    network.fit({ animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  });

  /* ---------- search ---------- */

  function normalise(text) { return String(text).toLowerCase().replace(/\s+/g, " ").trim(); }

  var searchIndex = data.details.map(function (detail, i) {
    var names = detail.title !== undefined ? [detail.title] : [detail.label, detail.name, detail.acronym, detail.key]
      .concat(detail.aliases || []);
    var seen = new Set();
    var entries = [];
    names.forEach(function (name) {
      if (!name) { return; }
      var key = normalise(name);
      if (key && !seen.has(key)) { seen.add(key); entries.push([key, String(name)]); }
    });
    if (detail.key) {
      var spaced = normalise(String(detail.key).replace(/[-_]+/g, " "));
      if (spaced && !seen.has(spaced)) { entries.push([spaced, String(detail.key)]); }
    }
    return entries;
  });

  function search(query, limit) {
    var q = normalise(query);
    if (!q) { return []; }
    var hits = [];
    for (var i = 0; i < N; i++) {
      var best = 9;
      var via = null;
      var entries = searchIndex[i];
      for (var k = 0; k < entries.length; k++) {
        var text = entries[k][0];
        var at = text.indexOf(q);
        if (at < 0) { continue; }
        var score = text === q ? 0 : at === 0 ? 1 : text.charAt(at - 1) === " " ? 2 : 3;
        if (k > 0) { score += 0.5; }
        if (score < best) { best = score; via = k > 0 ? entries[k][1] : null; }
      }
      if (best < 9) { hits.push({ index: i, score: best, via: via }); }
    }
    hits.sort(function (a, b) {
      return a.score - b.score || data.nodes[b.index].degree - data.nodes[a.index].degree ||
        (fullLabel(a.index) < fullLabel(b.index) ? -1 : fullLabel(a.index) > fullLabel(b.index) ? 1 : 0);
    });
    return hits.slice(0, limit || 15);
  }

  function fullLabel(i) {
    var detail = data.details[i];
    return detail.title !== undefined ? detail.title : detail.label;
  }

  var searchBox = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var resultHits = [];
  var activeResult = -1;

  function renderResults() {
    results.replaceChildren();
    resultHits = search(searchBox.value, 15);
    activeResult = resultHits.length ? 0 : -1;
    if (!normalise(searchBox.value)) { results.hidden = true; return; }
    if (!resultHits.length) {
      results.appendChild(el("li", "kg-result-empty", "No paper or entity matches"));
    }
    resultHits.forEach(function (hit, position) {
      var node = data.nodes[hit.index];
      var info = kindInfo[node.group];
      var li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", position === activeResult ? "true" : "false");
      li.appendChild(shapeSwatch(info ? info.shape : "dot", info ? info.color : "#777777", 12));
      li.appendChild(el("span", "kg-result-label", fullLabel(hit.index)));
      var meta = node.group;
      if (hit.via) { meta += " \u00b7 " + hit.via; }
      if (!visibleNode[hit.index]) { meta += " \u00b7 hidden by filters"; }
      li.appendChild(el("span", "kg-result-meta", meta));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); chooseResult(position); });
      results.appendChild(li);
    });
    results.hidden = false;
  }

  function highlightResult(position) {
    var items = results.querySelectorAll("li[role=option]");
    items.forEach(function (item, k) { item.setAttribute("aria-selected", k === position ? "true" : "false"); });
    if (items[position]) { items[position].scrollIntoView({ block: "nearest" }); }
    activeResult = position;
  }

  function chooseResult(position) {
    var hit = resultHits[position];
    if (!hit) { return; }
    results.hidden = true;
    focusNode(hit.index);
  }

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "");
    if (event.key === "/" && !typing) {
      event.preventDefault();
      searchBox.focus();
      searchBox.select();
    } else if (event.key === "Escape" && !typing && !panel.hidden) {
      closePanel();
    }
  });
  searchBox.addEventListener("input", renderResults);
  searchBox.addEventListener("focus", function () { if (normalise(searchBox.value)) { renderResults(); } });
  searchBox.addEventListener("blur", function () { results.hidden = true; });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && resultHits.length) {
      event.preventDefault();
      highlightResult(Math.min(activeResult + 1, resultHits.length - 1));
    } else if (event.key === "ArrowUp" && resultHits.length) {
      event.preventDefault();
      highlightResult(Math.max(activeResult - 1, 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (results.hidden) { renderResults(); }
      chooseResult(activeResult < 0 ? 0 : activeResult);
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });

  /* ---------- focus and side panel ---------- */

  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");
  var backButton = document.getElementById("kg-back");
  var current = null;
  var visited = [];

  function reveal(i) {
    // A node chosen from search or the panel is shown even if filters hid it.
    if (visibleNode[i]) { return; }
    var kind = data.nodes[i].group;
    state.kinds.add(kind);
    if (kindBoxes[kind]) { kindBoxes[kind].checked = true; }
    setMinDegree(0);
    applyFilters();
  }

  function focusNode(i) {
    reveal(i);
    showPanel(i, true);
    network.selectNodes([i]);
    network.focus(i, {
      scale: Math.max(network.getScale(), 0.9),
      animation: { duration: 450, easingFunction: "easeInOutQuad" }
    });
  }

  function openPanel() {
    if (panel.hidden) {
      panel.hidden = false;
      network.setSize("100%", "100%");
      network.redraw();
    }
  }

  function closePanel() {
    panel.hidden = true;
    current = null;
    rememberInAddress(null);
    visited = [];
    backButton.disabled = true;
    network.unselectAll();
    network.setSize("100%", "100%");
    network.redraw();
  }

  // The address keeps the open node (kg.html#entity:imagenet), so a view can be shared.
  function rememberInAddress(i) {
    var hash = i === null ? "" : "#" + encodeURIComponent(data.details[i].id);
    if (window.location.hash !== hash) {
      window.location.replace(hash || "#");
    }
  }

  function fromAddress() {
    var raw = window.location.hash.slice(1);
    if (!raw) { return; }
    var id;
    try { id = decodeURIComponent(raw); } catch (error) { return; }
    var i = idIndex.get(id);
    if (i !== undefined && i !== current) { focusNode(i); }
  }
  window.addEventListener("hashchange", fromAddress);

  function showPanel(i, remember) {
    if (remember && current !== null && current !== i) { visited.push(current); }
    current = i;
    rememberInAddress(i);
    backButton.disabled = visited.length === 0;
    panelBody.replaceChildren();
    var detail = data.details[i];
    if (detail.title !== undefined) { renderPaper(i, detail); } else { renderEntity(i, detail); }
    panel.scrollTop = 0;
    openPanel();
  }

  backButton.addEventListener("click", function () {
    if (!visited.length) { return; }
    var previous = visited.pop();
    current = null;
    reveal(previous);
    network.selectNodes([previous]);
    network.focus(previous, { scale: network.getScale(), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showPanel(previous, false);
    backButton.disabled = visited.length === 0;
  });
  document.getElementById("kg-close").addEventListener("click", closePanel);

  // vis-network hides its tooltip only on pointer moves inside the canvas.
  container.addEventListener("mouseleave", function () {
    var tip = container.querySelector(".vis-tooltip");
    if (tip) { tip.style.visibility = "hidden"; }
  });

  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0], true); }
  });

  function nodeButton(i, className) {
    var button = el("button", className || "kg-link", fullLabel(i));
    button.type = "button";
    button.addEventListener("click", function () { focusNode(i); });
    return button;
  }

  function facts(rows) {
    var dl = el("dl", "kg-facts");
    rows.forEach(function (row) {
      if (row[1] === null || row[1] === undefined || row[1] === "" ||
          (Array.isArray(row[1]) && !row[1].length)) { return; }
      dl.appendChild(el("dt", null, row[0]));
      var dd = el("dd");
      if (row[1] instanceof Node) { dd.appendChild(row[1]); } else { dd.textContent = String(row[1]); }
      dl.appendChild(dd);
    });
    return dl;
  }

  function codePoints(text) { return Array.from(text); }

  // A highlighted entity name in the colour of its type; with a target it opens that node.
  function entityMark(text, kind, target, title) {
    var mark = el("mark", "kg-mark", text);
    var info = kindInfo[kind];
    if (info) { mark.style.setProperty("--kg-c", info.color); }
    mark.title = title;
    if (target !== undefined && target !== null) {
      mark.tabIndex = 0;
      mark.addEventListener("click", function () { focusNode(target); });
      mark.addEventListener("keydown", function (event) { if (event.key === "Enter") { focusNode(target); } });
    }
    return mark;
  }

  // Mentions carry code-point offsets into the title or abstract (as Python counts them).
  function highlighted(container, text, spans) {
    var chars = codePoints(text);
    var at = 0;
    spans.forEach(function (span) {
      var start = span[1];
      var end = span[2];
      if (start < at || end > chars.length) { return; }
      if (start > at) { container.appendChild(document.createTextNode(chars.slice(at, start).join(""))); }
      var target = idIndex.get("entity:" + span[4]);
      container.appendChild(entityMark(chars.slice(start, end).join(""), span[3], target,
        span[3] + (span[4] ? " \u00b7 " + span[4] : "")));
      at = end;
    });
    if (at < chars.length) { container.appendChild(document.createTextNode(chars.slice(at).join(""))); }
    return container;
  }

  function groupByType(edgeIds) {
    var groups = {};
    edgeIds.forEach(function (id) {
      var type = data.edges[id].type;
      (groups[type] = groups[type] || []).push(id);
    });
    return Object.keys(groups).sort(function (a, b) {
      return (edgeOrder[a] === undefined ? 99 : edgeOrder[a]) - (edgeOrder[b] === undefined ? 99 : edgeOrder[b]) ||
        (a < b ? -1 : a > b ? 1 : 0);
    }).map(function (type) { return [type, groups[type]]; });
  }

  function typeHeading(type, count, arrow) {
    var h4 = el("h4");
    var info = edgeInfo[type];
    h4.appendChild(edgeSwatch(info ? info.color : "#999999"));
    h4.appendChild(document.createTextNode((arrow || "") + type + " (" + count + ")"));
    return h4;
  }

  // The first items of a long list, and a button that shows the rest (placed after `after`,
  // by default after the list itself).
  function limited(list, items, render, first, label, after) {
    var shown = first || SHOW_FIRST;
    items.slice(0, shown).forEach(function (item) { list.appendChild(render(item)); });
    if (items.length <= shown) { return; }
    var more = el("button", "kg-more", label ? label(items.length - shown) : "Show all " + items.length);
    more.type = "button";
    more.addEventListener("click", function () {
      items.slice(shown).forEach(function (item) { list.appendChild(render(item)); });
      more.remove();
    });
    var anchor = after || list;
    anchor.parentNode.insertBefore(more, anchor.nextSibling);
  }

  function renderPaper(i, detail) {
    panelBody.appendChild(badge("Paper"));
    var titleMentions = detail.mentions.filter(function (m) { return m[0] === "title"; });
    panelBody.appendChild(highlighted(el("h2"), detail.title, titleMentions));
    var authors = detail.authors.join(", ");
    if (detail.authorCount && detail.authorCount > detail.authors.length) {
      authors += (authors ? ", " : "") + (detail.authorCount - detail.authors.length) + " more";
    }
    panelBody.appendChild(facts([
      ["Date", detail.date],
      ["Authors", authors],
      ["Organisation", detail.organisation],
      ["Upvotes", detail.upvotes],
      ["Id", detail.id.replace(/^paper:/, "")],
      ["Sources", detail.sources.join(", ")]
    ]));
    if (detail.links.length) {
      panelBody.appendChild(el("h3", null, "Links"));
      var links = el("ul", "kg-links");
      detail.links.forEach(function (link) {
        var li = el("li");
        if (/^https?:\/\//i.test(link)) {
          var a = el("a", null, link);
          a.href = link;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else {
          li.textContent = link;
        }
        links.appendChild(li);
      });
      panelBody.appendChild(links);
    }
    panelBody.appendChild(el("h3", null, "Abstract"));
    if (detail.abstract) {
      var abstractMentions = detail.mentions.filter(function (m) { return m[0] === "abstract"; });
      panelBody.appendChild(highlighted(el("p", "kg-abstract"), detail.abstract, abstractMentions));
    } else {
      panelBody.appendChild(el("p", "kg-muted", "No abstract in the listing."));
    }
    var reported = detail.results || [];
    if (reported.length) {
      panelBody.appendChild(el("h3", null, "Results (" + reported.length + ")"));
      var numbers = el("ul", "kg-numbers");
      panelBody.appendChild(numbers);
      limited(numbers, reported, function (row) { return resultItem(detail, row); });
    }
    var groups = groupByType(outEdges[i]);
    if (groups.length) { panelBody.appendChild(el("h3", null, "Entities")); }
    groups.forEach(function (group) {
      panelBody.appendChild(typeHeading(group[0], group[1].length));
      var chips = el("ul", "kg-chips");
      panelBody.appendChild(chips);
      var targets = group[1].map(function (id) { return data.edges[id].to; });
      targets.sort(function (a, b) { return fullLabel(a).localeCompare(fullLabel(b)); });
      limited(chips, targets, function (target) {
        var li = el("li");
        li.appendChild(nodeButton(target, "kg-chip"));
        return li;
      });
    });
    var incoming = groupByType(inEdges[i]);
    if (incoming.length) { panelBody.appendChild(el("h3", null, "Linked from")); }
    incoming.forEach(function (group) {
      panelBody.appendChild(typeHeading(group[0], group[1].length, "\u2190 "));
      var list = el("ul", "kg-papers");
      panelBody.appendChild(list);
      limited(list, group[1], function (id) { return edgeItem(data.edges[id].from, id, null); });
    });
  }

  function surfaceForms(detail) {
    var forms = [detail.label, detail.name, detail.acronym].concat(detail.aliases || []);
    return Array.from(new Set(forms.filter(function (f) { return f && String(f).length > 1; })
      .map(function (f) { return String(f).toLowerCase(); })))
      .sort(function (a, b) { return b.length - a.length; });
  }

  // Marks where the entity's name or an alias occurs in an evidence sentence.
  function evidenceText(sentence, forms) {
    var p = el("p", "kg-evidence");
    var lower = sentence.toLowerCase();
    var ranges = [];
    if (lower.length === sentence.length) {
      forms.forEach(function (form) {
        var from = 0;
        var at;
        while ((at = lower.indexOf(form, from)) >= 0) {
          var end = at + form.length;
          var overlaps = ranges.some(function (r) { return at < r[1] && end > r[0]; });
          if (!overlaps) { ranges.push([at, end]); }
          from = end;
        }
      });
    }
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] > pos) { p.appendChild(document.createTextNode(sentence.slice(pos, r[0]))); }
      p.appendChild(el("mark", null, sentence.slice(r[0], r[1])));
      pos = r[1];
    });
    if (pos < sentence.length) { p.appendChild(document.createTextNode(sentence.slice(pos))); }
    return p;
  }

  function edgeItem(other, edgeId, forms, showPaper) {
    var li = el("li");
    li.appendChild(nodeButton(other));
    var edge = data.edges[edgeId];
    if (edge.weight > 1 || edge.confidence !== null) {
      var bits = [];
      if (edge.weight > 1) { bits.push(edge.weight + " sentences"); }
      if (edge.confidence !== null && edge.confidence !== undefined) { bits.push("confidence " + edge.confidence.toFixed(2)); }
      li.appendChild(el("span", "kg-rule kg-muted", " " + bits.join(" \u00b7 ")));
    }
    (data.evidence[edgeId] || []).forEach(function (row) {
      var p = evidenceText(data.sentences[row[1]], forms || []);
      if (showPaper && row[0] >= 0) {
        p.appendChild(document.createTextNode(" \u2014 "));
        p.appendChild(nodeButton(row[0]));
      }
      if (row[2]) { p.appendChild(el("span", "kg-rule", row[2])); }
      li.appendChild(p);
    });
    return li;
  }

  function renderEntity(i, detail) {
    panelBody.appendChild(badge(data.nodes[i].group));
    panelBody.appendChild(el("h2", null, detail.label));
    var aliases = null;
    if (detail.aliases.length) {
      aliases = el("ul", "kg-chips");
      detail.aliases.forEach(function (alias) { aliases.appendChild(el("li", "kg-chip", alias)); });
    }
    panelBody.appendChild(facts([
      ["Type", data.nodes[i].group],
      ["Key", detail.key],
      ["Name", detail.name !== detail.label ? detail.name : null],
      ["Acronym", detail.acronym],
      ["Family", detail.family],
      ["Aliases", aliases],
      ["Papers", detail.paperCount],
      ["Mentions", detail.mentionCount]
    ]));
    if (detail.leaderboard) { renderLeaderboard(detail.leaderboard); }
    var forms = surfaceForms(detail);
    var fromPapers = inEdges[i].filter(function (id) { return data.details[data.edges[id].from].title !== undefined; });
    var fromEntities = inEdges[i].filter(function (id) { return data.details[data.edges[id].from].title === undefined; });
    var paperGroups = groupByType(fromPapers);
    if (paperGroups.length) { panelBody.appendChild(el("h3", null, "Papers")); }
    paperGroups.forEach(function (group) {
      panelBody.appendChild(typeHeading(group[0], group[1].length));
      var list = el("ul", "kg-papers");
      panelBody.appendChild(list);
      limited(list, group[1], function (id) { return edgeItem(data.edges[id].from, id, forms, false); });
    });
    var related = groupByType(outEdges[i]).map(function (g) { return [g[0], g[1], true]; })
      .concat(groupByType(fromEntities).map(function (g) { return [g[0], g[1], false]; }));
    if (related.length) { panelBody.appendChild(el("h3", null, "Related entities")); }
    related.forEach(function (group) {
      var outgoing = group[2];
      panelBody.appendChild(typeHeading(group[0], group[1].length, outgoing ? "\u2192 " : "\u2190 "));
      var list = el("ul", "kg-papers");
      panelBody.appendChild(list);
      limited(list, group[1], function (id) {
        var edge = data.edges[id];
        return edgeItem(outgoing ? edge.to : edge.from, id, forms, true);
      });
    });
  }

  /* ---------- results: reported numbers and leaderboards ---------- */

  // A result row of the payload (see _result_rows in kg/export/viewer_payload.py).
  var RESULT_PARTS = ["metric", "dataset", "task", "method", "baseline"];
  var KIND_LABELS = { "relative-improvement": "relative improvement" };
  var BOARD_ROWS = 10;

  function resultOf(row) {
    var parts = {};
    RESULT_PARTS.forEach(function (part, k) { parts[part] = row[8][k] >= 0 ? row[8][k] : null; });
    return {
      value: row[0], unit: row[1], kind: row[2], field: row[3], sentenceStart: row[4], sentenceEnd: row[5],
      start: row[6], end: row[7], parts: parts, baselineValue: row[9], spans: row[10]
    };
  }

  // "85.3%" and "3×", but "2.1 points" and "12 ms".
  function withUnit(value, unit) {
    if (!unit) { return String(value); }
    return value + (Array.from(unit).length === 1 && !/[A-Za-z]/.test(unit) ? "" : " ") + unit;
  }

  function resultHead(result) {
    var head = el("div", "kg-number-head");
    head.appendChild(el("strong", "kg-number-value", withUnit(result.value, result.unit)));
    if (result.kind !== "score") {
      head.appendChild(document.createTextNode(" "));
      head.appendChild(el("span", "kg-kind", KIND_LABELS[result.kind] || result.kind));
    }
    [["metric", " "], ["dataset", " on "], ["method", " by "]].forEach(function (pair) {
      var target = result.parts[pair[0]];
      if (target === null) { return; }
      head.appendChild(document.createTextNode(pair[1]));
      var button = nodeButton(target);
      button.title = pair[0];
      head.appendChild(button);
    });
    var baseline = result.parts.baseline;
    if (baseline !== null || result.baselineValue) {
      head.appendChild(document.createTextNode(" vs "));
      var value = result.baselineValue ? withUnit(result.baselineValue, result.kind === "score" ? result.unit : "") : "";
      if (baseline !== null) {
        var link = nodeButton(baseline);
        link.title = "baseline";
        head.appendChild(link);
        if (value) { head.appendChild(document.createTextNode(" (" + value + ")")); }
      } else {
        head.appendChild(document.createTextNode(value));
      }
    }
    return head;
  }

  // The sentence a result was read from: the value highlighted, the parts it names marked
  // like mentions (in their type's colour, clickable when they are entities).
  function resultSentence(detail, result) {
    var p = el("p", "kg-sentence");
    var chars = codePoints(result.field === "title" ? detail.title : detail.abstract);
    var marks = result.spans.map(function (span) { return { start: span[0], end: span[1], part: span[2] }; });
    marks.push({ start: result.start, end: result.end, part: null });
    marks.sort(function (a, b) { return a.start - b.start; });
    var at = result.sentenceStart;
    marks.forEach(function (mark) {
      if (mark.start < at || mark.end > result.sentenceEnd) { return; }
      if (mark.start > at) { p.appendChild(document.createTextNode(chars.slice(at, mark.start).join(""))); }
      var text = chars.slice(mark.start, mark.end).join("");
      if (mark.part === null) {
        p.appendChild(el("mark", "kg-value", text));
      } else {
        var target = result.parts[mark.part];
        var kind = target === null ? null : data.nodes[target].group;
        p.appendChild(entityMark(text, kind, target, mark.part + (target === null ? "" : " \u00b7 " + fullLabel(target))));
      }
      at = mark.end;
    });
    if (at < result.sentenceEnd) { p.appendChild(document.createTextNode(chars.slice(at, result.sentenceEnd).join(""))); }
    return p;
  }

  function resultItem(detail, row) {
    var result = resultOf(row);
    var li = el("li", "kg-number");
    li.appendChild(resultHead(result));
    if (result.field) { li.appendChild(resultSentence(detail, result)); }
    return li;
  }

  function yearOf(i) {
    var match = /^(\d{4})/.exec(data.details[i].date || "");
    return match ? match[1] : "";
  }

  function boardRow(row) {
    var result = resultOf(data.details[row[0]].results[row[1]]);
    var tr = el("tr");
    tr.appendChild(el("td", "kg-rank", row[2] === null ? "\u2013" : row[2]));
    tr.appendChild(el("td", "kg-board-value", withUnit(result.value, result.unit)));
    var who = el("td", "kg-board-who");
    if (result.parts.method !== null) {
      who.appendChild(nodeButton(result.parts.method));
      var paper = el("div", "kg-board-paper");
      paper.appendChild(nodeButton(row[0]));
      who.appendChild(paper);
    } else {
      who.appendChild(nodeButton(row[0]));
    }
    tr.appendChild(who);
    tr.appendChild(el("td", "kg-board-year", yearOf(row[0])));
    return tr;
  }

  // Scores on this dataset across papers, one table per metric (and unit), best first.
  function renderLeaderboard(groups) {
    panelBody.appendChild(el("h3", null, "Leaderboard"));
    groups.forEach(function (group) {
      var metric = group[0];
      var rows = group[3];
      var table = el("table", "kg-board");
      var caption = el("caption");
      if (metric >= 0) { caption.appendChild(nodeButton(metric)); } else { caption.appendChild(el("span", null, "Metric not named")); }
      var notes = [];
      if (group[1]) { notes.push(group[1]); }
      notes.push(rows.length + (rows.length === 1 ? " score" : " scores"));
      if (metric >= 0) {
        notes.push(group[2] === "lower" ? "lower is better" : group[2] === "higher" ? "higher is better"
          : "direction not known, highest first");
      }
      caption.appendChild(el("span", "kg-muted", " \u00b7 " + notes.join(" \u00b7 ")));
      table.appendChild(caption);
      var body = el("tbody");
      table.appendChild(body);
      panelBody.appendChild(table);
      limited(body, rows, boardRow, BOARD_ROWS, function (rest) { return "Show " + rest + " more"; }, table);
    });
  }

  /* ---------- the selected node's neighbourhood stands out ---------- */

  // After vis-network has drawn everything, a translucent veil goes over the graph and
  // the selected node, its edges and its neighbours are drawn again on top of it.
  function drawNeighbourhood(ctx) {
    if (current === null || !visibleNode[current]) { return; }
    var selected = network.body.nodes[current];
    if (!selected || typeof selected.draw !== "function") { return; }
    var width = container.clientWidth;
    var height = container.clientHeight;
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
    var bottomRight = network.DOMtoCanvas({ x: width, y: height });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.72)";
    ctx.fillRect(topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y);
    ctx.restore();
    var neighbours = [];
    outEdges[current].concat(inEdges[current]).forEach(function (id) {
      var edge = network.body.edges[id];
      if (!visibleEdge[id] || !edge || typeof edge.draw !== "function") { return; }
      edge.draw(ctx);
      if (typeof edge.drawArrows === "function" && edge.options.arrows.to.enabled) { edge.drawArrows(ctx); }
      neighbours.push(data.edges[id].from === current ? data.edges[id].to : data.edges[id].from);
    });
    neighbours.forEach(function (i) {
      var node = network.body.nodes[i];
      if (node && i !== current) { node.draw(ctx); }
    });
    selected.draw(ctx);
  }
  network.on("afterDrawing", drawNeighbourhood);

  /* ---------- labels: fixed screen size, never overlapping ---------- */

  // vis-network scales labels with the zoom, so a whole large graph in view shows
  // unreadable specks of text, and zoomed in its labels pile up. Instead, after each
  // drawing, labels are painted at a fixed screen size: first the selected node and its
  // neighbours, then the others (greyed while a node is selected) from the most connected
  // down, each only where it overlaps no label already placed. Zooming in makes room for
  // more of them.
  var LABEL_MAX = 120;
  var LABEL_TRIES = 1500;
  var REFERENCE_PX = 12;
  var labelFace = data.options.nodes.font.face;
  var labelWidth = new Float32Array(N).fill(-1);
  var labelPx = data.nodes.map(function (node) {
    return Math.round(11 + 5 * Math.sqrt(Math.max(node.size - 5, 0) / 35));
  });
  var byDegree = data.nodes.map(function (node) { return node.id; }).sort(function (a, b) {
    return data.nodes[b].degree - data.nodes[a].degree || a - b;
  });
  var labelSeen = new Uint32Array(N);
  var labelRound = 0;

  function overlaps(box, placed) {
    for (var k = 0; k < placed.length; k++) {
      var other = placed[k];
      if (box[0] < other[2] && box[2] > other[0] && box[1] < other[3] && box[3] > other[1]) { return true; }
    }
    return false;
  }

  function labelOrder() {
    var first = [];
    if (current !== null && visibleNode[current]) {
      first.push(current);
      outEdges[current].concat(inEdges[current]).forEach(function (id) {
        if (!visibleEdge[id]) { return; }
        var edge = data.edges[id];
        first.push(edge.from === current ? edge.to : edge.from);
      });
    }
    return first;
  }

  function drawLabels(ctx) {
    var scale = network.getScale();
    var width = container.clientWidth;
    var height = container.clientHeight;
    var placed = [];
    var drawn = 0;
    var tries = 0;
    labelRound++;
    var first = labelOrder();
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    ctx.lineWidth = 3 / scale;
    var total = first.length + byDegree.length;
    for (var k = 0; k < total && drawn < LABEL_MAX && tries < LABEL_TRIES; k++) {
      var i = k < first.length ? first[k] : byDegree[k - first.length];
      if (labelSeen[i] === labelRound || !visibleNode[i]) { continue; }
      labelSeen[i] = labelRound;
      var node = data.nodes[i];
      var body = network.body.nodes[i];
      if (!body || !node.label) { continue; }
      var at = network.canvasToDOM({ x: body.x, y: body.y });
      if (at.x < -300 || at.y < -40 || at.x > width + 300 || at.y > height + 40) { continue; }
      tries++;
      var px = labelPx[i];
      var bold = i === current;
      if (labelWidth[i] < 0) {
        ctx.font = REFERENCE_PX / scale + "px " + labelFace;
        labelWidth[i] = ctx.measureText(node.label).width * scale / REFERENCE_PX;
      }
      var textWidth = labelWidth[i] * px * (bold ? 1.08 : 1);
      var top = at.y + node.size * scale + 2;
      var box = [at.x - textWidth / 2 - 2, top - 1, at.x + textWidth / 2 + 2, top + px + 2];
      if (!bold && overlaps(box, placed)) { continue; }
      placed.push(box);
      ctx.fillStyle = k < first.length || !first.length ? "#1d2330" : "#7d8696";
      ctx.font = (bold ? "bold " : "") + px / scale + "px " + labelFace;
      var y = body.y + node.size + 2 / scale;
      ctx.strokeText(node.label, body.x, y);
      ctx.fillText(node.label, body.x, y);
      drawn++;
    }
    ctx.restore();
  }
  network.on("afterDrawing", drawLabels);

  /* ---------- ready ---------- */

  updateStatus();
  window.kg = {
    network: network,
    data: data,
    search: search,
    focusNode: focusNode,
    applyFilters: applyFilters,
    renderedNodeCount: function () { return network.body.nodeIndices.length; },
    renderedEdgeCount: function () { return network.body.edgeIndices.length; },
    indexOf: function (id) { return idIndex.get(id); }
  };
  fromAddress();
  network.once("afterDrawing", function () {
    window.kgReadyAt = performance.now();
    window.kgReady = true;
    document.body.setAttribute("data-ready", "true");
  });
})();
