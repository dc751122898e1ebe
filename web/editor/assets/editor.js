// Tessera SPARQL editor: configures the bundled Yasgui for this server and
// adds a bar-chart view (Chart.js) to the result viewer. Everything it needs
// is served by Tessera itself; nothing is fetched from another origin.
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("editor-config").textContent);
  var endpoint = new URL(cfg.endpoint, window.location.href).href;
  var prefixes = {};
  cfg.prefixes.forEach(function (p) { prefixes[p.name] = p.iri; });

  function prefixBlock(names) {
    return names.map(function (n) { return "PREFIX " + n + ": <" + prefixes[n] + ">"; }).join("\n");
  }
  var defaultQuery = prefixBlock(cfg.prefixes.map(function (p) { return p.name; })) +
    "\n\nSELECT ?dataset ?title\nWHERE {\n  ?dataset a dcat:Dataset ;\n           dct:title ?title .\n}\nLIMIT 10\n";

  // Value of one binding as a number, or NaN.
  function numeric(b) {
    if (!b || b.type !== "literal" && b.type !== "typed-literal") return NaN;
    var v = b.value.trim();
    return v === "" ? NaN : Number(v);
  }
  // Label of one binding: IRIs shortened with the declared prefixes.
  function label(b) {
    if (!b) return "";
    if (b.type !== "uri") return b.value;
    for (var name in prefixes) {
      var ns = prefixes[name];
      if (b.value.indexOf(ns) === 0 && b.value.length > ns.length) return name + ":" + b.value.slice(ns.length);
    }
    return b.value;
  }
  // The columns a chart uses: the first numeric one for the values, the
  // first other one for the labels.
  function chartColumns(results) {
    var vars = results.getVariables();
    var rows = results.getBindings();
    if (vars.length < 2 || rows.length === 0) return null;
    var value = null, lab = null;
    vars.forEach(function (v) {
      var isNum = rows.every(function (r) { return r[v] === undefined || !isNaN(numeric(r[v])); }) &&
        rows.some(function (r) { return !isNaN(numeric(r[v])); });
      if (isNum && value === null) value = v;
      else if (!isNum && lab === null) lab = v;
    });
    if (value === null || lab === null) return null;
    return { label: lab, value: value };
  }

  // A Yasr plugin drawing a bar chart of the first label column against the
  // first numeric column (https://www.chartjs.org/docs/latest/charts/bar.html).
  var maxBars = 200;
  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
    this.chart = null;
  }
  ChartPlugin.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!(r && r.getVariables && r.getVariables().length && chartColumns(r));
  };
  ChartPlugin.prototype.draw = function () {
    this.destroy();
    var results = this.yasr.results;
    var cols = chartColumns(results);
    var el = this.yasr.resultsEl;
    var rows = results.getBindings();
    var shown = rows.slice(0, maxBars);
    var box = document.createElement("div");
    box.className = "tessera-chart";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Bar chart of " + cols.value + " by " + cols.label);
    box.appendChild(canvas);
    el.appendChild(box);
    if (rows.length > shown.length) {
      var note = document.createElement("p");
      note.className = "tessera-chart-note";
      note.textContent = "Showing the first " + maxBars + " of " + rows.length + " rows.";
      el.appendChild(note);
    }
    this.chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: shown.map(function (r) { return label(r[cols.label]); }),
        datasets: [{ label: cols.value, data: shown.map(function (r) { return numeric(r[cols.value]); }), backgroundColor: "#0b5cad" }]
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
    });
  };
  ChartPlugin.prototype.destroy = function () {
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
  };
  ChartPlugin.prototype.getIcon = function () {
    var span = document.createElement("span");
    span.setAttribute("aria-hidden", "true");
    span.textContent = "▮▮";
    return span;
  };
  Yasgui.Yasr.registerPlugin("chart", ChartPlugin);

  // No look-ups on other servers: Yasqe's class and property completers
  // ask Linked Open Vocabularies, so only the local ones stay.
  var completers = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.autocompleters = completers;
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  Yasgui.Yasqe.defaults.value = defaultQuery;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "tessera-sparql",
    yasqe: { value: defaultQuery, autocompleters: completers, prefixCcApi: null, collapsePrefixesOnLoad: true },
    yasr: { prefixes: prefixes, pluginOrder: ["table", "chart", "response"], defaultPlugin: "table" }
  });
  // A tab restored from an older session may point at another address of
  // this server (a different port); queries always go to this page's server.
  Object.keys(yasgui._tabs).forEach(function (id) {
    var tab = yasgui._tabs[id];
    if (tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
  });

  var byId = {};
  cfg.examples.forEach(function (ex) { byId[ex.id] = ex; });
  document.querySelectorAll("button.example").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var ex = byId[btn.getAttribute("data-example")];
      if (!ex) return;
      var tab = yasgui.addTab(true, { name: ex.title, yasqe: { value: ex.query }, requestConfig: { endpoint: endpoint } }, { avoidDuplicateTabs: true });
      tab.show();
    });
  });
  window.tesseraEditor = { yasgui: yasgui, endpoint: endpoint, examples: cfg.examples };
})();
