// The deck object every other piece plugs into: slides, the current position, events.
// A piece is a function (deck) => void registered with deckgen.use(); start.js runs them.
(function (window, document) {
  "use strict";
  var root = document.querySelector(".deckgen");
  function findSlides() {
    return Array.prototype.slice.call(root.querySelectorAll(".deckgen-canvas > section.slide"));
  }
  var slides = findSlides();
  var listeners = {};
  var plugins = [];

  var deck = {
    root: root,
    slides: slides,
    index: -1,
    // Pieces that step inside a slide (fragments) register here: {forward(), backward()}
    // return true when they consumed the step.
    steppers: [],
    use: function (plugin) { plugins.push(plugin); return deck; },
    on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); return deck; },
    emit: function (type, detail) {
      (listeners[type] || []).slice().forEach(function (fn) { fn(detail || {}); });
    },
    current: function () { return slides[deck.index]; },
    go: function (index, origin) {
      if (!slides.length) return false;
      index = Math.max(0, Math.min(slides.length - 1, index | 0));
      if (index === deck.index) return false;
      var from = deck.index;
      slides.forEach(function (slide, i) {
        slide.classList.toggle("is-current", i === index);
        slide.classList.toggle("is-past", i < index);
        slide.classList.toggle("is-future", i > index);
        slide.setAttribute("aria-hidden", i === index ? "false" : "true");
      });
      deck.index = index;
      deck.emit("change", { from: from, to: index, origin: origin || "api" });
      return true;
    },
    next: function (origin) {
      for (var i = 0; i < deck.steppers.length; i++) {
        if (deck.steppers[i].forward()) return true;
      }
      return deck.go(deck.index + 1, origin);
    },
    prev: function (origin) {
      for (var i = 0; i < deck.steppers.length; i++) {
        if (deck.steppers[i].backward()) return true;
      }
      return deck.go(deck.index - 1, origin);
    },
    // The slide elements were replaced (deckgen serve patches a page in place): look them up
    // again and show the same position, without a transition.
    refresh: function () {
      slides = findSlides();
      deck.slides = slides;
      var index = Math.max(0, Math.min(slides.length - 1, deck.index));
      deck.index = -1;
      deck.go(index, "refresh");
      deck.emit("refresh", { count: slides.length });
    },
    first: function (origin) { return deck.go(0, origin); },
    last: function (origin) { return deck.go(slides.length - 1, origin); },
    // Where to open: pieces may replace this (hash.js reads the URL).
    initialIndex: function () { return 0; },
    start: function () {
      plugins.forEach(function (plugin) { plugin(deck); });
      deck.go(deck.initialIndex(), "start");
      root.classList.add("is-ready");
      deck.emit("ready", {});
    }
  };
  window.deckgen = deck;
})(window, document);
