// Long slides: content taller than the canvas is scaled down (and given the freed width back)
// until it fits; below MIN_SCALE it stays at MIN_SCALE and the slide scrolls instead.
deckgen.use(function (deck) {
  "use strict";
  var MIN_SCALE = 0.6;

  function box(slide) {
    var style = window.getComputedStyle(slide);
    return {
      width: slide.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      height: slide.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
    };
  }

  function fitsAt(content, space, scale) {
    content.style.width = (space.width / scale) + "px";
    return content.offsetHeight * scale <= space.height + 0.5;
  }

  function fit(slide) {
    var content = slide && slide.querySelector(".slide-content");
    if (!content) return;
    content.style.transform = "";
    content.style.width = "";
    slide.classList.remove("is-scaled", "is-scrolling");
    slide.removeAttribute("data-scale");
    var height = content.offsetHeight;
    if (height <= box(slide).height + 0.5) return;
    // Scaled slides get narrower vertical padding (CSS), so measure the space again.
    slide.classList.add("is-scaled");
    var space = box(slide);
    if (space.height <= 0) return;
    // Widening lowers the height, so the scale that fits lies in [space/height, 1): bisect.
    var low = space.height / height, high = 1;
    for (var i = 0; i < 7; i++) {
      var mid = (low + high) / 2;
      if (fitsAt(content, space, mid)) low = mid; else high = mid;
    }
    var scale = low;
    if (scale < MIN_SCALE) {
      scale = MIN_SCALE;
      slide.classList.add("is-scrolling");
    }
    content.style.width = (space.width / scale) + "px";
    content.style.transform = "scale(" + scale + ")";
    slide.setAttribute("data-scale", scale.toFixed(3));
  }

  deck.fit = fit;
  function fitCurrent() { fit(deck.current()); }
  deck.on("change", fitCurrent);
  window.addEventListener("resize", fitCurrent);
  // Images (loaded, or broken and shown as an icon) and web fonts change a slide's height
  // after it is first shown.
  function refitFor(event) {
    if (deck.current() && deck.current().contains(event.target)) fitCurrent();
  }
  deck.root.addEventListener("load", refitFor, true);
  deck.root.addEventListener("error", refitFor, true);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitCurrent);
});
