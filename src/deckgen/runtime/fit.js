// Long slides: content taller than the slide is first given the slide's full width (the column
// is 900px otherwise), then scaled down as little as makes it fit; below MIN_SCALE it stays at
// MIN_SCALE and the slide scrolls instead, with a "more below" cue until its end.
deckgen.use(function (deck) {
  "use strict";
  // Code is 0.77em of 26px, 20px: at 0.6 it is 12px on the 1280x720 canvas, the least that
  // still reads (tests/browser/test_layout.py holds it to that).
  var MIN_SCALE = 0.6;
  var STEPS = 10;  // bisection: within (1 - start) / 1024 of the largest scale that fits

  var cue = document.createElement("div");
  cue.className = "deckgen-more";
  cue.setAttribute("aria-hidden", "true");
  cue.hidden = true;
  var canvas = deck.root.querySelector(".deckgen-canvas");
  if (canvas) canvas.appendChild(cue);

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
    content.style.maxWidth = "";
    content.style.marginBottom = "";
    slide.classList.remove("is-scaled", "is-scrolling");
    slide.removeAttribute("data-scale");
    if (content.offsetHeight <= box(slide).height + 0.5) return updateCue();
    // Scaled slides get narrower vertical padding (CSS) and the full width: measure again.
    slide.classList.add("is-scaled");
    content.style.maxWidth = "none";
    var space = box(slide);
    if (space.height <= 0) return updateCue();
    var scale = 1;
    if (!fitsAt(content, space, 1)) {
      // Widening lowers the height, so the scale that fits lies in [space/height, 1): bisect.
      var low = space.height / content.offsetHeight, high = 1;
      for (var i = 0; i < STEPS; i++) {
        var mid = (low + high) / 2;
        if (fitsAt(content, space, mid)) low = mid; else high = mid;
      }
      scale = low;
    }
    if (scale < MIN_SCALE) {
      scale = MIN_SCALE;
      slide.classList.add("is-scrolling");
    }
    content.style.width = (space.width / scale) + "px";
    if (scale < 1) {
      content.style.transform = "scale(" + scale + ")";
      // A transform does not shrink the layout box: take the difference back, so a scrolling
      // slide ends where its content visibly does.
      content.style.marginBottom = (-(1 - scale) * content.offsetHeight) + "px";
    }
    slide.setAttribute("data-scale", scale.toFixed(3));
    updateCue();
  }

  // The cue shows while the current slide can scroll further down.
  function updateCue() {
    var slide = deck.current();
    var more = !!slide && slide.classList.contains("is-scrolling") &&
      slide.scrollTop + slide.clientHeight < slide.scrollHeight - 2;
    if (more) {
      // The slide's own colour (nodeppt's colors theme gives each slide its own).
      var style = window.getComputedStyle(slide);
      cue.style.setProperty("--dg-more-bg", style.backgroundColor);
      cue.style.setProperty("--dg-more-fg", style.color);
    }
    cue.hidden = !more;
  }

  deck.fit = fit;
  function fitCurrent() { fit(deck.current()); }
  deck.on("change", fitCurrent);
  window.addEventListener("resize", fitCurrent);
  deck.root.addEventListener("scroll", function (event) {
    if (event.target === deck.current()) updateCue();
  }, true);
  // Images (loaded, or broken and shown as an icon) and web fonts change a slide's height
  // after it is first shown.
  function refitFor(event) {
    if (deck.current() && deck.current().contains(event.target)) fitCurrent();
  }
  deck.root.addEventListener("load", refitFor, true);
  deck.root.addEventListener("error", refitFor, true);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitCurrent);
});
