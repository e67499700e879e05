// The /-/graph page: draws the elements the server embedded (as JSON, never as markup) with
// cytoscape.js. Clicking a node opens its row; hovering highlights its neighbourhood.
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
      "label": "data(label)", "font-size": "mapData(weight, 1, 20, 9, 15)", "color": "#222",
      "text-valign": "bottom", "text-margin-y": 3,
      "text-wrap": "ellipsis", "text-max-width": 150, "min-zoomed-font-size": 5,
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
    { selector: "node[kind = 'tool']", style: { "font-weight": "bold" } },
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

  cy.on("tap", "node", function (event) {
    var href = event.target.data("href");
    if (href) {
      window.location.href = href;
    }
  });
  cy.on("mouseover", "node", function (event) {
    var node = event.target;
    var neighbourhood = node.closedNeighborhood();
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
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.6) {
      cy.zoom(1.6);
      cy.center();
    }
    document.body.setAttribute("data-graph-ready", "1");
  });
  layout.run();
})();
