// Starts GraphiQL on the page that web/playground renders: the endpoint and
// the example queries come from the JSON data block #tessera-playground-config
// (no inline script, so the page runs under a strict Content-Security-Policy).
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('tessera-playground-config').textContent);

  // GraphiQL keeps tabs in localStorage and prefers them to defaultTabs: a
  // namespace per bundle version lets returning users see new examples.
  function versionedStorage(prefix) {
    var ls;
    try {
      ls = window.localStorage;
      ls.getItem(prefix);
    } catch (e) {
      return null; // storage disabled: GraphiQL then keeps no state
    }
    function own() {
      var keys = [];
      for (var i = 0; i < ls.length; i++) {
        var k = ls.key(i);
        if (k !== null && k.indexOf(prefix) === 0) keys.push(k);
      }
      return keys;
    }
    return {
      getItem: function (k) { return ls.getItem(prefix + k); },
      setItem: function (k, v) { ls.setItem(prefix + k, v); },
      removeItem: function (k) { ls.removeItem(prefix + k); },
      clear: function () { own().forEach(function (k) { ls.removeItem(k); }); },
      get length() { return own().length; }
    };
  }

  var tabs = config.examples.map(function (ex) {
    var tab = { query: ex.query };
    if (ex.variables) tab.variables = ex.variables;
    return tab;
  });
  var fetcher = GraphiQL.createFetcher({
    url: new URL(config.endpoint, window.location.href).toString()
  });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultTabs: tabs,
    defaultEditorToolsVisibility: tabs.some(function (t) { return t.variables; }) ? 'variables' : false,
    storage: versionedStorage('tessera-playground-' + config.version + ':'),
    shouldPersistHeaders: false
  }));
})();
