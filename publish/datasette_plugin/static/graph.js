// The /-/graph page: draws the elements the server embedded (as JSON, never as markup) with
// cytoscape.js. Clicking a node opens its entity page; hovering highlights its neighbourhood. Labels
// keep a readable size on screen: only the busiest nodes are labelled at the fitted zoom, the rest
// appear as you zoom in (or hover), so nothing is drawn at 6 px.
(function () {
  "use strict";
  var dataElement = document.getElementById("banwatch-graph-data");
  var container = document.getElementById("banwatch-graph");
  if (!dataElement || !container || typeof cytoscape === "undefined") {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var hover = document.getElementById("banwatch-graph-hover");
  var kindStyle = {
    agency: { color: "#2c5aa0", shape: "ellipse" },
    tool: { color: "#b03a2e", shape: "round-rectangle" },
    jurisdiction: { color: "#1e8449", shape: "diamond" },
    vendor: { color: "#7d3c98", shape: "hexagon" },
    reason: { color: "#d68910", shape: "triangle" },
    document: { color: "#95a5a6", shape: "ellipse" }
  };
  var style = [
    { selector: "node", style: {
      "label": "", "font-size": 13, "color": "#222", "font-weight": 600,
      "text-valign": "bottom", "text-margin-y": 3,
      "text-wrap": "wrap", "text-max-width": 140, "min-zoomed-font-size": 0,
      "text-background-color": "#fff", "text-background-opacity": 0.7, "text-background-padding": 1,
      "width": "mapData(weight, 1, 40, 14, 46)", "height": "mapData(weight, 1, 40, 14, 46)",
      "border-width": 1, "border-color": "#fff"
    } },
    { selector: "node[verified = 0]", style: { "border-style": "dashed", "border-color": "#333", "border-width": 2 } },
    { selector: "edge", style: {
      "width": 1, "line-color": "#c8ccd0", "curve-style": "bezier", "target-arrow-shape": "none", "opacity": 0.8
    } },
    { selector: "edge[kind = 'acted_on']", style: {
      "width": "mapData(n, 1, 10, 1.5, 6)", "target-arrow-shape": "triangle", "arrow-scale": 0.8
    } },
    { selector: "edge[kind = 'followed']", style: {
      "line-style": "dashed", "line-color": "#8e44ad", "target-arrow-shape": "triangle",
      "target-arrow-color": "#8e44ad", "width": 1
    } },
    { selector: "edge[kind = 'cites_reason']", style: { "line-color": "#f0c27b" } },
    { selector: "edge[kind = 'part_of'], edge[kind = 'located_in'], edge[kind = 'made_by'], edge[kind = 'based_in']",
      style: { "line-color": "#b8bec6", "line-style": "dotted", "width": 1.2 } },
    { selector: "node[kind = 'tool']", style: { "font-weight": "bold" } },
    { selector: "node.labelled, node.focus, node.focus-label", style: { "label": "data(label)" } },
    { selector: "edge[kind = 'followed'].labelled", style: { "label": "data(label)", "font-size": 11, "color": "#6c3483",
      "text-background-color": "#fff", "text-background-opacity": 0.8 } },
    { selector: ".faded", style: { "opacity": 0.12 } },
    { selector: "node.focus", style: { "border-color": "#111", "border-width": 3 } }
  ];
  Object.keys(kindStyle).forEach(function (kind) {
    style.push({ selector: "node[kind = '" + kind + "']",
                 style: { "background-color": kindStyle[kind].color, "shape": kindStyle[kind].shape } });
  });
  Object.keys(data.actionColors).forEach(function (action) {
    style.push({ selector: "edge[kind = 'acted_on'][action = '" + action + "']",
                 style: { "line-color": data.actionColors[action], "target-arrow-color": data.actionColors[action] } });
  });

  var cy = cytoscape({
    container: container,
    elements: data.elements,
    style: style,
    minZoom: 0.1,
    maxZoom: 4,
    boxSelectionEnabled: false
  });
  window.banwatchGraph = cy;

  // Labels stay 13 px on screen at any zoom (their size is divided by the zoom), and a label is drawn
  // only where it does not cover another: nodes are taken busiest first (by weight) and each label's
  // box, estimated from its text, must not overlap one already placed. Labels already drawn are
  // placed first, so a label never jumps to a neighbour: zooming in scales the gaps between boxes up
  // with the nodes, so every label still in view stays and room opens for more. Hovering a node
  // labels it and its neighbours.
  var byWeight = cy.nodes().sort(function (a, b) { return b.data("weight") - a.data("weight"); });
  var pending = false;
  function labelBox(node) {
    var text = String(node.data("label") || "");
    var width = Math.min(text.length * 7.4, 140);
    var lines = Math.ceil(text.length * 7.4 / 140);
    var position = node.renderedPosition();
    var top = position.y + node.renderedHeight() / 2 + 3;
    return { x1: position.x - width / 2 - 2, x2: position.x + width / 2 + 2, y1: top - 1, y2: top + lines * 16 + 1 };
  }
  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }
  function relabel() {
    pending = false;
    var zoom = cy.zoom();
    var placed = [];
    var width = container.clientWidth, height = container.clientHeight;
    cy.batch(function () {
      cy.nodes().style({ "font-size": 13 / zoom, "text-max-width": 140 / zoom });
      var drawn = byWeight.filter(function (node) { return node.hasClass("labelled"); });
      drawn.union(byWeight).forEach(function (node) {
        var box = labelBox(node);
        var visible = box.x2 > 0 && box.x1 < width && box.y1 < height && box.y2 > 0;
        var free = visible && !placed.some(function (other) { return overlaps(box, other); });
        if (free) {
          placed.push(box);
        }
        node.toggleClass("labelled", free);
      });
      cy.edges("[kind = 'followed']").style("font-size", 11 / zoom).toggleClass("labelled", zoom >= 1.2);
    });
    cy.scratch("labelledAtZoom", zoom);  // lets a test wait for the frame that relabels
  }
  function scheduleRelabel() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(relabel);
    }
  }
  function fit() {
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.6) {
      cy.zoom(1.6);
      cy.center();
    }
    relabel();
  }
  cy.on("viewport", scheduleRelabel);
  function zoomBy(factor) {
    cy.zoom({ level: Math.max(cy.minZoom(), Math.min(cy.maxZoom(), cy.zoom() * factor)),
              renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
  }
  [["banwatch-zoom-in", function () { zoomBy(1.4); }], ["banwatch-zoom-out", function () { zoomBy(1 / 1.4); }],
   ["banwatch-zoom-reset", fit]].forEach(function (pair) {
    var button = document.getElementById(pair[0]);
    if (button) {
      button.addEventListener("click", pair[1]);
    }
  });

  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) {
      window.location.href = href;
    }
  });
  cy.on("mouseover", "node", function (event) {
    var node = event.target;
    var neighbourhood = node.closedNeighborhood();
    neighbourhood.nodes().addClass("focus-label");
    cy.elements().not(neighbourhood).addClass("faded");
    node.addClass("focus");
    container.style.cursor = "pointer";
    if (hover) {
      var names = node.neighborhood("node").map(function (n) { return n.data("label"); });
      hover.textContent = node.data("label") + " (" + node.data("kind") + "): linked to " +
        (names.length ? names.slice(0, 12).join(", ") + (names.length > 12 ? ", and " + (names.length - 12) + " more" : "") : "nothing shown");
    }
  });
  cy.on("mouseout", "node", function (event) {
    cy.elements().removeClass("faded");
    cy.nodes().removeClass("focus-label");
    event.target.removeClass("focus");
    container.style.cursor = "";
  });

  var layout = cy.layout({
    name: "cose",
    animate: false,
    randomize: true,
    nodeDimensionsIncludeLabels: true,
    idealEdgeLength: function () { return 90; },
    nodeRepulsion: function () { return 60000; },
    nodeOverlap: 20,
    gravity: 0.3,
    numIter: cy.nodes().length > 600 ? 400 : 1000,
    // A big graph is laid out over the whole canvas (not a ball in its middle): wide screens get a
    // wide graph. A small one keeps its natural size and is zoomed in a little.
    boundingBox: cy.nodes().length > 40 ? { x1: 0, y1: 0, w: container.clientWidth, h: container.clientHeight }
                                         : undefined,
    padding: 30
  });
  layout.one("layoutstop", function () {
    fit();
    document.body.setAttribute("data-graph-ready", "1");
  });
  layout.run();
})();
