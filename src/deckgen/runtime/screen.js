// The screen as a whole: B or . blacks it out, W whites it out, and any key or a click brings
// the slide back (without also doing what the key does, as in PowerPoint). F toggles
// fullscreen. Blackout and whiteout follow the presenter view (presenter.js), which only
// reports them: the speaker keeps seeing the notes.
deckgen.use(function (deck) {
  "use strict";
  var cover = document.createElement("div");
  cover.className = "deckgen-cover";
  cover.hidden = true;
  cover.setAttribute("aria-hidden", "true");
  cover.addEventListener("click", function () { setScreen("", "click"); });
  deck.root.appendChild(cover);

  deck.screenMode = "";
  // setScreen("black" | "white" | "", origin): emits "screen" {mode, origin} when it changes.
  function setScreen(mode, origin) {
    mode = mode === "black" || mode === "white" ? mode : "";
    if (mode === deck.screenMode) return false;
    deck.screenMode = mode;
    cover.hidden = !mode;
    cover.setAttribute("data-mode", mode);
    deck.root.classList.toggle("is-blackout", mode === "black");
    deck.root.classList.toggle("is-whiteout", mode === "white");
    deck.emit("screen", { mode: mode, origin: origin || "api" });
    return true;
  }
  deck.setScreen = setScreen;

  function fullscreenElement() {
    return document.fullscreenElement || document.webkitFullscreenElement || null;
  }
  // Browsers grant fullscreen only to a key press or click, and may refuse it: the promise's
  // rejection is expected then, not an error.
  deck.toggleFullscreen = function () {
    var root = document.documentElement;
    var result;
    if (fullscreenElement()) {
      var exit = document.exitFullscreen || document.webkitExitFullscreen;
      if (exit) result = exit.call(document);
    } else {
      var request = root.requestFullscreen || root.webkitRequestFullscreen;
      if (request) result = request.call(root);
    }
    if (result && typeof result.catch === "function") result.catch(function () { /* refused */ });
  };

  deck.keyHelp.push(
    { keys: ["B", "."], does: "black screen (any key brings the slide back)" },
    { keys: ["W"], does: "white screen" },
    { keys: ["F"], does: "fullscreen on / off" });

  var MODIFIERS = /^(Shift|Control|Alt|AltGraph|Meta|CapsLock|NumLock|ScrollLock|Fn|OS|Dead|Unidentified)$/;
  // While the screen is covered the first key only uncovers it: listen before everyone else.
  window.addEventListener("keydown", function (event) {
    if (!deck.screenMode || !deck.acceptsKey(event) || MODIFIERS.test(event.key)) return;
    event.preventDefault();
    setScreen("", "keyboard");
  }, true);

  document.addEventListener("keydown", function (event) {
    if (!deck.acceptsKey(event)) return;
    var key = event.key;
    if (key === "b" || key === "B" || key === ".") setScreen("black", "keyboard");
    else if (key === "w" || key === "W") setScreen("white", "keyboard");
    else if (key === "f" || key === "F") deck.toggleFullscreen();
    else return;
    event.preventDefault();
  });
});
