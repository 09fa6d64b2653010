// Keys: Right/Down/Space/PageDown next, Left/Up/Shift+Space/PageUp previous, Home/End,
// digits then Enter to jump. Nothing fires while the speaker types into a form field.
deckgen.use(function (deck) {
  "use strict";
  var typed = "";
  var typedTimer = 0;

  function isEditable(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  // Space presses a focused button (or opens a <details>); it must not turn the slide.
  function isPressable(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "button" || tag === "summary" || target.getAttribute("role") === "button";
  }

  // A slide that scrolls (very long content) scrolls first, then moves on.
  function scrollWithin(direction) {
    var slide = deck.current();
    if (!slide || !slide.classList.contains("is-scrolling")) return false;
    var max = slide.scrollHeight - slide.clientHeight;
    if (direction > 0 && slide.scrollTop < max - 1) {
      slide.scrollTop = Math.min(max, slide.scrollTop + slide.clientHeight * 0.8);
      return true;
    }
    if (direction < 0 && slide.scrollTop > 1) {
      slide.scrollTop = Math.max(0, slide.scrollTop - slide.clientHeight * 0.8);
      return true;
    }
    return false;
  }

  function showTyped() { deck.emit("typing", { value: typed }); }

  // Shared by every piece that binds keys: false while typing in a field, composing with an
  // input method, or holding a modifier (those shortcuts belong to the browser).
  deck.acceptsKey = function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
    if (event.isComposing || isEditable(event.target)) return false;
    return !(event.key === " " && isPressable(event.target));
  };
  // What the help overlay lists: pieces push {keys: ["S"], does: "..."}.
  deck.keyHelp = deck.keyHelp || [];
  deck.keyHelp.push(
    { keys: ["→", "↓", "Space", "PageDown"], does: "next step or slide" },
    { keys: ["←", "↑", "Shift+Space", "PageUp"], does: "previous step or slide" },
    { keys: ["Home", "End"], does: "first / last slide" },
    { keys: ["digits", "Enter"], does: "go to that slide" });
  // Another piece (the overview) may take digits + Enter for itself.
  deck.goToTyped = function (number) { deck.go(number - 1, "keyboard", 0); };

  document.addEventListener("keydown", function (event) {
    if (!deck.acceptsKey(event)) return;
    var key = event.key;
    var handled = true;
    if (/^[0-9]$/.test(key)) {
      typed = (typed + key).slice(-6);
      clearTimeout(typedTimer);
      typedTimer = setTimeout(function () { typed = ""; showTyped(); }, 4000);
      showTyped();
    } else if (key === "Enter" && typed) {
      deck.goToTyped(parseInt(typed, 10));
      typed = "";
      showTyped();
    } else if (key === "Escape" && typed) {
      typed = "";
      showTyped();
    } else if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" ||
               (key === " " && !event.shiftKey)) {
      if (!scrollWithin(1)) deck.next("keyboard");
    } else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp" ||
               (key === " " && event.shiftKey)) {
      if (!scrollWithin(-1)) deck.prev("keyboard");
    } else if (key === "Home") {
      deck.first("keyboard");
    } else if (key === "End") {
      deck.last("keyboard");
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });
});
