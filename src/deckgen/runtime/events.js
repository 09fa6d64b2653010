// nodeppt's slide events: data-on-enter, data-on-leave, data-on-build and data-on-keypress on a
// slide name a global function (a dotted path like "demo.start" works too), called as
// fn(event) with event = {type, slide, container, index, step, stop()}.
//
// - enter / leave: when the slide becomes / stops being the current one (nodeppt's older
//   data-incallback / data-outcallback names too). Entering also loads iframes that carry their
//   address in data-src, as nodeppt did.
// - build: before each next / previous move made on the slide (event.direction "next" or
//   "prev"); event.stop() keeps the deck where it is, so the function can run its own steps.
// - keypress: for each key pressed on the slide, before the deck's own keys; event.stop() keeps
//   the deck from acting on it.
// An exception in the function is logged and does not stop the deck. Scripts and styles inside
// slides are ordinary page elements: the browser runs them once, when the page loads.
deckgen.use(function (deck) {
  "use strict";
  var missing = Object.create(null);  // names already reported as missing

  function lookup(path) {
    var target = window;
    var names = String(path || "").trim().split(".");
    for (var i = 0; i < names.length; i++) {
      if (!names[i] || target === null || target === undefined) return null;
      target = target[names[i]];
    }
    return typeof target === "function" ? target : null;
  }

  function handlerName(slide, type) {
    var names = { enter: ["data-on-enter", "data-incallback"],
                  leave: ["data-on-leave", "data-outcallback"],
                  build: ["data-on-build"], keypress: ["data-on-keypress"] }[type];
    for (var i = 0; i < names.length; i++) {
      var value = slide.getAttribute(names[i]);
      if (value && value.trim()) return value.trim();
    }
    return null;
  }

  // Calls the slide's handler for `type`; returns the event (null when there is no handler).
  function dispatch(slide, type, details) {
    var name = slide && handlerName(slide, type);
    if (!name) return null;
    var event = { type: type, slide: slide, container: slide, index: deck.slides.indexOf(slide),
                  step: deck.step, stopped: false };
    event.stop = function () { event.stopped = true; };
    Object.keys(details || {}).forEach(function (key) { event[key] = details[key]; });
    var fn = lookup(name);
    if (!fn) {
      if (!missing[name] && window.console) {
        console.warn("deckgen: data-on-" + type + ': no global function "' + name + '"');
      }
      missing[name] = true;
      return event;
    }
    try {
      fn.call(slide, event);
    } catch (error) {
      window.console && console.error("deckgen: data-on-" + type + ' "' + name + '" failed:', error);
    }
    return event;
  }
  deck.dispatchSlideEvent = dispatch;

  // A global function by name ("fn", "demo.start"), or null (slide-api.js uses it too).
  deck.findFunction = lookup;

  function loadIframes(slide) {
    Array.prototype.forEach.call(slide.querySelectorAll("iframe[data-src]"), function (frame) {
      var src = frame.getAttribute("data-src");
      if (src && frame.getAttribute("src") !== src) frame.setAttribute("src", src);
    });
  }

  deck.on("change", function (event) {
    if (!event.slideChanged) return;
    var from = deck.slides[event.from], to = deck.slides[event.to];
    if (from && event.origin !== "refresh") {
      dispatch(from, "leave", { index: event.from, step: event.fromStep });
    }
    if (to) {
      loadIframes(to);
      if (event.origin !== "refresh") dispatch(to, "enter", { index: event.to, step: event.step });
    }
  });

  ["next", "prev"].forEach(function (direction) {
    var move = deck[direction];
    deck[direction] = function (origin) {
      var built = dispatch(deck.current(), "build", { direction: direction });
      if (built && built.stopped) return false;
      return move.call(deck, origin);
    };
  });

  // Capturing on window runs before the deck's own key handlers.
  window.addEventListener("keydown", function (event) {
    if (!deck.acceptsKey || !deck.acceptsKey(event)) return;
    var handled = dispatch(deck.current(), "keypress", {
      key: event.key, keyCode: event.keyCode, originalEvent: event });
    if (handled && handled.stopped) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
});
