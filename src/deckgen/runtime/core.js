// The deck object every other piece plugs into: slides, the position, events.
// A piece is a function (deck) => void registered with deckgen.use(); start.js runs them.
//
// The position is a slide index (0-based) and a step: how many of the slide's steps
// (fragments, magic parts...) are revealed, 0 to stepCount(slide). Pieces that reveal things
// register a step provider: {count(slide) -> n, show(slide, step)}; with several providers the
// steps run through them in registration order.
(function (window, document) {
  "use strict";
  var root = document.querySelector(".deckgen");
  function findSlides() {
    return Array.prototype.slice.call(root.querySelectorAll(".deckgen-canvas > section.slide"));
  }
  var slides = findSlides();
  var listeners = {};
  var plugins = [];

  function showStep(slide, step) {
    var offset = 0;
    deck.stepProviders.forEach(function (provider) {
      var count = provider.count(slide);
      provider.show(slide, Math.max(0, Math.min(count, step - offset)));
      offset += count;
    });
  }

  var deck = {
    root: root,
    slides: slides,
    index: -1,
    step: 0,
    stepProviders: [],
    // Show `step` of `slide` without moving the deck (print and thumbnails use it).
    showStep: function (slide, step) { showStep(slide, step); },
    use: function (plugin) { plugins.push(plugin); return deck; },
    on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); return deck; },
    emit: function (type, detail) {
      (listeners[type] || []).slice().forEach(function (fn) { fn(detail || {}); });
    },
    current: function () { return slides[deck.index]; },
    stepCount: function (slide) {
      slide = slide || slides[deck.index];
      if (!slide) return 0;
      var total = 0;
      deck.stepProviders.forEach(function (provider) { total += provider.count(slide); });
      return total;
    },
    // go(index[, origin[, step]]): step may be a number or "last" (everything revealed).
    // Emits "change" {from, to, fromStep, step, slideChanged, origin} when anything moved.
    go: function (index, origin, step) {
      if (!slides.length) return false;
      index = Math.max(0, Math.min(slides.length - 1, index | 0));
      var count = deck.stepCount(slides[index]);
      step = step === "last" ? count : Math.max(0, Math.min(count, (step | 0)));
      if (index === deck.index && step === deck.step) return false;
      var from = deck.index, fromStep = deck.step;
      if (index !== from) {
        slides.forEach(function (slide, i) {
          slide.classList.toggle("is-current", i === index);
          slide.classList.toggle("is-past", i < index);
          slide.classList.toggle("is-future", i > index);
          slide.setAttribute("aria-hidden", i === index ? "false" : "true");
        });
      }
      deck.index = index;
      deck.step = step;
      showStep(slides[index], step);
      deck.emit("change", { from: from, to: index, fromStep: fromStep, step: step,
                            slideChanged: index !== from, origin: origin || "api" });
      return true;
    },
    next: function (origin) {
      if (deck.step < deck.stepCount()) return deck.go(deck.index, origin, deck.step + 1);
      return deck.go(deck.index + 1, origin, 0);
    },
    prev: function (origin) {
      if (deck.step > 0) return deck.go(deck.index, origin, deck.step - 1);
      // Coming back, the previous slide shows fully built, as the speaker left it.
      return deck.go(deck.index - 1, origin, "last");
    },
    // The slide elements were replaced (deckgen serve patches a page in place): look them up
    // again and show the same position, without a transition.
    refresh: function () {
      slides = findSlides();
      deck.slides = slides;
      var index = Math.max(0, Math.min(slides.length - 1, deck.index));
      var step = deck.step;
      deck.index = -1;
      deck.go(index, "refresh", step);
      deck.emit("refresh", { count: slides.length });
    },
    first: function (origin) { return deck.go(0, origin, 0); },
    last: function (origin) { return deck.go(slides.length - 1, origin, 0); },
    // Where to open, as {index, step}: pieces may replace this (hash.js reads the URL).
    initialPosition: function () { return { index: 0, step: 0 }; },
    start: function () {
      plugins.forEach(function (plugin) { plugin(deck); });
      var position = deck.initialPosition();
      deck.go(position.index, "start", position.step);
      root.classList.add("is-ready");
      deck.emit("ready", {});
    }
  };
  window.deckgen = deck;
})(window, document);
