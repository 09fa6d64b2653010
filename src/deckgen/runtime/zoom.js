// nodeppt's zoom (the zoom.js its demo loads, after reveal.js's zoom plugin): Alt+click on
// something in a slide (a heading, a picture, a line of code) zooms in on it, centred, with
// 20 px around it, as far as the window allows; clicking something about as big as the window
// does nothing. Alt+click again, or Esc, zooms back out; so do moving to another slide (nodeppt
// stayed zoomed, over a slide that no longer had the thing), opening the overview, resizing
// the window and printing. The whole stage (the scaled slide canvas and the drawing board on
// it) is transformed, so it works at any window size; the progress bar and number stay put.
deckgen.use(function (deck) {
  "use strict";
  if (deck.isPresenter) return;
  var PADDING = 20;
  var stage = deck.root.querySelector(".deckgen-stage");
  var level = 1;
  var swallowClick = false;

  function apply(transform) {
    stage.style.transformOrigin = transform ? "0 0" : "";
    stage.style.transform = transform;
    deck.root.classList.toggle("is-zoomed", !!transform);
  }

  // Zooms in on a rectangle of the window (nodeppt's zoom.to); false when it would not enlarge.
  function zoomTo(rect) {
    if (level !== 1) { out(); return false; }
    var width = window.innerWidth, height = window.innerHeight;
    var x = rect.left - PADDING, y = rect.top - PADDING;
    var w = rect.width + PADDING * 2, h = rect.height + PADDING * 2;
    var scale = Math.max(Math.min(width / w, height / h), 1);
    if (!(scale > 1)) return false;
    var dx = x * scale - (width - w * scale) / 2;
    var dy = y * scale - (height - h * scale) / 2;
    level = scale;
    apply("translate(" + (-dx) + "px, " + (-dy) + "px) scale(" + scale + ")");
    deck.emit("zoom", { level: level });
    return true;
  }

  function out() {
    if (level === 1) return false;
    level = 1;
    apply("");
    deck.emit("zoom", { level: 1 });
    return true;
  }

  deck.zoom = {
    to: function (target) {
      return zoomTo(target && target.getBoundingClientRect ? target.getBoundingClientRect() : target);
    },
    out: out,
    level: function () { return level; }
  };

  deck.keyHelp.push({ keys: ["Alt+click"], does: "zoom in on what was clicked; Alt+click or Esc zooms out" });

  stage.addEventListener("mousedown", function (event) {
    if (!event.altKey || event.button !== 0 || deck.overviewOpen) return;
    // Drawing on the board (paint.js) is not zooming.
    if (event.target.classList && event.target.classList.contains("deckgen-board")) return;
    event.preventDefault();
    swallowClick = true;
    if (level !== 1) out();
    else zoomTo(event.target.getBoundingClientRect());
  });
  // The click that follows must not follow a link (Alt+click downloads it in some browsers).
  stage.addEventListener("click", function (event) {
    if (!swallowClick) return;
    swallowClick = false;
    if (event.altKey) event.preventDefault();
  }, true);

  // Esc zooms out before it can open the overview.
  window.addEventListener("keydown", function (event) {
    if (level === 1 || event.key !== "Escape" || !deck.acceptsKey(event)) return;
    event.preventDefault();
    out();
  }, true);

  deck.on("change", function (event) { if (event.slideChanged) out(); });
  deck.on("overview", function (event) { if (event.open) out(); });
  deck.on("print", function (event) { if (event.printing) out(); });
  window.addEventListener("resize", out);
});
