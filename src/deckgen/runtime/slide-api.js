// nodeppt's scripting API: the global `Slide` that nodeppt 1.4.5's runtime exposed, for the
// scripts decks bring (`files:`, or a <script> in a slide), on deckgen's deck.
//
// - Slide.on(type, fn), Slide.un(type[, fn]), Slide.fire(type, args...): nodeppt's event bus
//   (several types may be given comma-separated). The deck fires
//     "update" (index, 0, "pagedown" | "pageup") after every slide change (index 0-based, as
//       nodeppt passed it; the second argument was always 0 in nodeppt 1.4.5, steps do not
//       fire it), and once at the start;
//     "keyup" (event) for each key released outside a field;
//     "overviewshown" / "overviewhidden" when the overview opens and closes.
//   A handler that throws is logged and does not stop the deck or the other handlers.
// - Slide.current (1-based), Slide.curItem (steps revealed), Slide.count, Slide.$slides.
// - Slide.next(), Slide.prev(), Slide.setIndex(n[, steps]) (n 1-based), Slide.buildNextItem()
//   and Slide.buildPrevItem() (one step within the slide; false when there is none).
// - Slide.proxyFn(name, args...): calls the global function `name` (decks' own buttons).
// - Slide.showPaint(), Slide.removePaint(): the drawing board (paint.js).
// - Slide.init(), Slide.magic, Slide.magic.init: nothing to do (deckgen starts itself and
//   steps [magic] blocks itself); they exist because nodeppt-generated HTML names them.
// - window.jumpSlide(index) (0-based) and window.getcurIndex(), nodeppt's globals for the same.
// A deck that defines its own `Slide` before the runtime runs keeps it.
deckgen.use(function (deck) {
  "use strict";
  if (window.Slide) return;
  var slice = Array.prototype.slice;
  var handlers = Object.create(null);

  function types(value) {
    return String(value || "").split(",").map(function (name) { return name.trim(); })
      .filter(Boolean);
  }

  function fire(type) {
    var args = slice.call(arguments, 1);
    (handlers[type] || []).slice().forEach(function (entry) {
      try {
        entry.fn.apply(entry.scope, args);
      } catch (error) {
        window.console && console.error('deckgen: Slide.on("' + type + '") handler failed:', error);
      }
    });
  }

  function findFunction(name) {
    if (typeof name === "function") return name;
    return deck.findFunction ? deck.findFunction(String(name)) : null;
  }

  function step(direction) {
    if (direction > 0 && deck.step < deck.stepCount()) {
      return deck.go(deck.index, "api", deck.step + 1);
    }
    if (direction < 0 && deck.step > 0) return deck.go(deck.index, "api", deck.step - 1);
    return false;
  }

  function nothing() {}
  var magic = function () {};
  magic.init = nothing;

  var Slide = {
    current: deck.index + 1,
    curItem: deck.step,
    count: deck.slides.length,
    $slides: deck.slides,
    dir: "./",
    init: nothing,
    on: function (type, fn, scope) {
      if (typeof fn !== "function") return Slide;
      types(type).forEach(function (name) {
        (handlers[name] = handlers[name] || []).push({ fn: fn, scope: scope });
      });
      return Slide;
    },
    un: function (type, fn) {
      types(type).forEach(function (name) {
        if (!fn) delete handlers[name];
        else if (handlers[name]) {
          handlers[name] = handlers[name].filter(function (entry) { return entry.fn !== fn; });
        }
      });
      return Slide;
    },
    fire: function (type) {
      var args = slice.call(arguments, 1);
      types(type).forEach(function (name) { fire.apply(null, [name].concat(args)); });
      return Slide;
    },
    next: function () { return deck.next("api"); },
    prev: function () { return deck.prev("api"); },
    setIndex: function (number, steps) {
      return deck.go(Math.max(1, number | 0) - 1, "api", Math.max(0, steps | 0));
    },
    buildNextItem: function () { return step(1); },
    buildPrevItem: function () { return step(-1); },
    proxyFn: function (name) {
      var fn = findFunction(name);
      if (fn) return fn.apply(window, slice.call(arguments, 1));
      window.console && console.warn("deckgen: Slide.proxyFn: no function " + name);
    },
    showPaint: function () { if (deck.paint) deck.paint.open(); },
    removePaint: function () { if (deck.paint) deck.paint.close(); },
    magic: magic
  };
  window.Slide = Slide;
  if (!window.jumpSlide) window.jumpSlide = function (index) { deck.go(index | 0, "api", 0); };
  if (!window.getcurIndex) window.getcurIndex = function () { return deck.index; };

  deck.on("change", function (event) {
    Slide.current = deck.index + 1;
    Slide.curItem = deck.step;
    if (!event.slideChanged || event.origin === "refresh") return;
    fire("update", event.to, 0, event.to < event.from ? "pageup" : "pagedown");
  });
  deck.on("refresh", function () {
    Slide.$slides = deck.slides;
    Slide.count = deck.slides.length;
  });
  deck.on("overview", function (event) { fire(event.open ? "overviewshown" : "overviewhidden"); });

  document.addEventListener("keyup", function (event) {
    var target = event.target;
    if (target && (/^(input|textarea|select)$/i.test(target.tagName || "") || target.isContentEditable)) return;
    fire("keyup", event);
  });
});
