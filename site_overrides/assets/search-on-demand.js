/* Fetch the search index when the reader first uses search, not on every page load.
 *
 * Material's bundle requests search/search_index.json as soon as a page opens
 * (47 KB gzipped for the example city, about 155 KB at 5,000 indicators). This
 * script, loaded just before the bundle, holds that one request back until the
 * reader opens or focuses the search box or types a search shortcut; every
 * other request goes out untouched. Without it search works as before. */
(function () {
  "use strict";

  var INDEX = /\/search\/search_index\.json(\?.*)?$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = /[?&]q=/.test(location.search);  // a link into search results needs the index now

  XMLHttpRequest.prototype.open = function (method, url) {
    this.ckSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.ckSearchIndex && !wanted) {
      held.push([this, arguments]);
      return undefined;
    }
    return send.apply(this, arguments);
  };

  function want() {
    if (wanted) return;
    wanted = true;
    held.forEach(function (call) { send.apply(call[0], call[1]); });
    held = [];
  }

  function inSearch(node) {
    return !!(node && node.closest && node.closest("form[name=search], label[for=__search], .md-search"));
  }

  document.addEventListener("focusin", function (event) { if (inSearch(event.target)) want(); }, true);
  document.addEventListener("pointerdown", function (event) { if (inSearch(event.target)) want(); }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search") want();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (["/", "s", "S", "f", "F"].indexOf(event.key) !== -1) want();  // the theme's search shortcuts
  }, true);
})();
