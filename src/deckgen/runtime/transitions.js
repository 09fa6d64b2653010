// Animated slide changes. The effect is the entering slide's data-transition, else the deck's
// (data-transition on the root: the build always writes one, nodeppt's default `move`, which is
// slide, when the header names none), else none: slide, fade, zoom or cards (nodeppt's names map to
// the nearest one; the build already does that, raw HTML may not have). The keyframes are in
// transitions.css; prefers-reduced-motion: reduce turns every animation off.
//
// Both slides stay laid out while it runs (the leaving one gets .is-leaving), and only their
// transform and opacity move, so fit.js measures the entering slide as usual. The next move
// finishes a running transition at once, and moves that follow each other quickly (a held key)
// are not animated at all.
deckgen.use(function (deck) {
  "use strict";
  var QUICK_MS = 250;
  var EFFECTS = table("slide fade zoom cards none", "");
  var NODEPPT = Object.assign(
    table("slide2 slide3 move horizontal horizontal3d vertical3d newspaper", "slide"),
    table("earthquake pulse stick glue", "fade"),
    table("zoomin zoomout circle cover-circle", "zoom"),
    table("kontext vkontext cover-diamond", "cards"));
  var reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var running = null;
  var lastMove = -Infinity;

  function table(names, effect) {
    var result = Object.create(null);
    names.split(" ").forEach(function (name) { result[name] = effect || name; });
    return result;
  }

  // Any name to one of slide, fade, zoom, cards, none ("" means none; unknown names slide).
  deck.normaliseTransition = function (name) {
    name = String(name || "").trim().toLowerCase();
    if (!name) return "none";
    return EFFECTS[name] || NODEPPT[name] || "slide";
  };

  function effectFor(slide) {
    var name = slide.getAttribute("data-transition");
    if (name === null) name = deck.root.getAttribute("data-transition");
    return deck.normaliseTransition(name);
  }

  function finish() {
    if (!running) return;
    var current = running;
    running = null;
    clearTimeout(current.timer);
    current.to.removeEventListener("animationend", current.onEnd);
    current.from.classList.remove("is-leaving");
    current.to.classList.remove("is-entering");
    deck.root.classList.remove("is-transitioning");
    deck.root.removeAttribute("data-slide-effect");
    deck.root.removeAttribute("data-direction");
  }
  deck.finishTransition = finish;

  deck.on("change", function (event) {
    var interrupted = running !== null;
    finish();
    if (!event.slideChanged || event.origin === "start" || event.origin === "refresh") return;
    var now = Date.now();
    var quick = interrupted || now - lastMove < QUICK_MS;
    lastMove = now;
    if (quick) return;
    if (reducedMotion && reducedMotion.matches) return;
    // The overview (overview.js) shows the slides its own way.
    if (deck.root.classList.contains("is-overview")) return;
    var from = deck.slides[event.from], to = deck.slides[event.to];
    if (!from || !to) return;
    var effect = effectFor(to);
    if (effect === "none") return;
    deck.root.setAttribute("data-slide-effect", effect);
    deck.root.setAttribute("data-direction", event.to > event.from ? "forward" : "backward");
    deck.root.classList.add("is-transitioning");
    from.classList.add("is-leaving");
    to.classList.add("is-entering");
    var seconds = parseFloat(window.getComputedStyle(to).animationDuration) || 0;
    if (seconds <= 0) { running = { from: from, to: to, timer: 0, onEnd: null }; finish(); return; }
    var onEnd = function (e) { if (e.target === to) finish(); };
    to.addEventListener("animationend", onEnd);
    // animationend may never come (a hidden tab, a theme that removed the keyframes).
    running = { from: from, to: to, onEnd: onEnd, timer: setTimeout(finish, seconds * 1000 + 150) };
  });
  deck.on("refresh", finish);
});
