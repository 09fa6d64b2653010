// deckgen serve's client: follows the deck's event stream. A rebuilt deck is patched in place
// (only the slides that changed, on the same slide, no white flash); when that is not possible
// the page reloads, keeping its #/N hash. Build errors show as an overlay over the last good deck.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("deckgen-live").textContent);
  var version = config.version;
  var overlay = null;
  var busy = false, again = false;

  function showError(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "deckgen-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;" +
        "background:rgba(127,17,17,0.96);color:#fff;font:16px/1.5 ui-monospace,Menlo,Consolas," +
        "monospace;padding:16px 20px;white-space:pre-wrap;box-shadow:0 2px 12px rgba(0,0,0,.5)";
      document.body.appendChild(overlay);
    }
    overlay.textContent = message + "\n\n(deckgen serve: the last good version is shown " +
      "underneath; this goes away when the file is fixed)";
  }

  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function reload() { window.location.reload(); }

  function apply(update) {
    var deck = window.deckgen;
    if (update.same) return;
    if (update.reload || !deck || typeof deck.refresh !== "function") { reload(); return; }
    var canvas = document.querySelector(".deckgen-canvas");
    var old = canvas.querySelectorAll(":scope > section.slide");
    var keys = Object.keys(update.slides);
    for (var k = 0; k < keys.length; k++) {
      var template = document.createElement("template");
      template.innerHTML = update.slides[keys[k]];
      var fresh = template.content.firstElementChild;
      // Slide scripts run once, at load: a changed one needs a real reload.
      if (!fresh || fresh.querySelector("script")) { reload(); return; }
      var i = parseInt(keys[k], 10);
      if (old[i]) canvas.replaceChild(fresh, old[i]); else canvas.appendChild(fresh);
    }
    var all = canvas.querySelectorAll(":scope > section.slide");
    for (var j = update.count; j < all.length; j++) all[j].remove();
    if (update.css !== null && update.css !== undefined) {
      var style = document.getElementById("deckgen-style");
      if (style) style.textContent = "\n" + update.css + "\n"; else { reload(); return; }
    }
    if (update.title) document.title = update.title;
    version = update.version;
    deck.refresh();
  }

  function catchUp() {
    if (busy) { again = true; return; }
    busy = true;
    var url = "/__deckgen/update?deck=" + encodeURIComponent(config.deck) + "&from=" + version;
    fetch(url, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(apply)
      .catch(reload)
      .then(function () {
        busy = false;
        if (again) { again = false; catchUp(); }
      });
  }

  var events = new EventSource("/__deckgen/events?deck=" +
    encodeURIComponent(config.deck || "") + "&v=" + version);
  events.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.error) showError(state.error); else hideError();
    if (state.version === version) return;
    if (config.deck === null) reload(); else catchUp();
  };
})();
