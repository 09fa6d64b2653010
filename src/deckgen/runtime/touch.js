// Swipe left for the next slide, right for the previous one. deck.css sets touch-action on the
// stage so the browser neither pans sideways nor turns the swipe into a Back navigation.
deckgen.use(function (deck) {
  "use strict";
  var startX = 0, startY = 0, tracking = false;
  deck.root.addEventListener("touchstart", function (event) {
    if (event.touches.length !== 1) { tracking = false; return; }
    tracking = true;
    startX = event.touches[0].clientX;
    startY = event.touches[0].clientY;
  }, { passive: true });
  deck.root.addEventListener("touchend", function (event) {
    if (!tracking) return;
    tracking = false;
    var touch = event.changedTouches[0];
    var dx = touch.clientX - startX, dy = touch.clientY - startY;
    if (Math.abs(dx) < 40 || Math.abs(dx) < Math.abs(dy) * 1.5) return;
    if (dx < 0) deck.next("touch"); else deck.prev("touch");
  }, { passive: true });
  // The browser took the gesture over (a scroll, a pinch): not a swipe.
  deck.root.addEventListener("touchcancel", function () { tracking = false; }, { passive: true });
});
