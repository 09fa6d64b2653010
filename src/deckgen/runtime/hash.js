// The URL hash holds the slide, 1-based (#/5): deep links open it, reload stays on it, and
// Back/Forward walk the slides visited. nodeppt's #5 form is read too.
deckgen.use(function (deck) {
  "use strict";
  function parse(hash) {
    var m = /^#\/?(\d+)/.exec(hash || "");
    return m ? parseInt(m[1], 10) - 1 : null;
  }
  function hashFor(index) { return "#/" + (index + 1); }

  deck.on("change", function (event) {
    if (event.origin === "hash" || event.origin === "start") return;
    var wanted = hashFor(event.to);
    if (window.location.hash === wanted) return;
    // A refresh (slides removed under us) corrects the URL without a history entry.
    if (event.origin === "refresh") window.location.replace(wanted);
    else window.location.hash = wanted;
  });
  window.addEventListener("hashchange", function () {
    var index = parse(window.location.hash);
    if (index === null) return;
    deck.go(index, "hash");
    var wanted = hashFor(deck.index);
    if (window.location.hash !== wanted) window.location.replace(wanted);
  });

  deck.initialIndex = function () {
    var index = parse(window.location.hash);
    return index === null ? 0 : index;
  };
  deck.on("ready", function () {
    var wanted = hashFor(deck.index);
    if (window.location.hash !== wanted) {
      try { window.history.replaceState(null, "", wanted); } catch (e) { window.location.replace(wanted); }
    }
  });
});
