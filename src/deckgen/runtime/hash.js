// The URL hash holds the position, 1-based: #/5 (slide 5), #/5/2 (slide 5, two steps revealed).
// Deep links open it, reload stays on it, Back/Forward walk the slides visited (steps within a
// slide replace the entry instead of adding one).
//
// nodeppt's own form is read too: #3 (digits only, no slash) is nodeppt's 0-based slide index,
// so #3 is the fourth slide (#/4), as nodeppt showed it; links in decks (<a href="#3">) and old
// bookmarks land where they did. Any other hash (#intro) is an anchor, left to the browser.
deckgen.use(function (deck) {
  "use strict";
  function parse(hash) {
    hash = hash || "";
    var nodeppt = /^#(\d+)$/.exec(hash);
    if (nodeppt) return { index: parseInt(nodeppt[1], 10), step: 0 };
    var m = /^#\/(\d+)(?:\/(\d+))?/.exec(hash);
    return m ? { index: parseInt(m[1], 10) - 1, step: m[2] ? parseInt(m[2], 10) : 0 } : null;
  }
  function hashFor(index, step) { return "#/" + (index + 1) + (step ? "/" + step : ""); }

  deck.on("change", function (event) {
    if (event.origin === "hash" || event.origin === "start") return;
    var wanted = hashFor(event.to, event.step);
    if (window.location.hash === wanted) return;
    // A refresh (slides removed under us) or a step within the slide corrects the URL
    // without a history entry.
    if (event.origin === "refresh" || !event.slideChanged) window.location.replace(wanted);
    else window.location.hash = wanted;
  });
  window.addEventListener("hashchange", function () {
    var position = parse(window.location.hash);
    if (position === null) return;
    deck.go(position.index, "hash", position.step);
    var wanted = hashFor(deck.index, deck.step);
    if (window.location.hash !== wanted) window.location.replace(wanted);
  });

  deck.initialPosition = function () {
    return parse(window.location.hash) || { index: 0, step: 0 };
  };
  deck.on("ready", function () {
    var wanted = hashFor(deck.index, deck.step);
    if (window.location.hash !== wanted) {
      try { window.history.replaceState(null, "", wanted); } catch (e) { window.location.replace(wanted); }
    }
  });
});
