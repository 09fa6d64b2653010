// Scale the fixed 1280x720 canvas to fit the window, letterboxed, centred.
deckgen.use(function (deck) {
  "use strict";
  var WIDTH = 1280, HEIGHT = 720;
  function rescale() {
    var scale = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    deck.root.style.setProperty("--deckgen-scale", String(scale));
    deck.scale = scale;
  }
  window.addEventListener("resize", rescale);
  rescale();
});
