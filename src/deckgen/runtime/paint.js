// nodeppt's drawing board. P puts a transparent canvas over the slide to draw on with the
// mouse, a pen or a finger; P again (or C, nodeppt's key) clears it and takes it away, and so
// does moving to another slide (nodeppt removed the board on every slide change; steps within
// the slide keep it). While it is up, nodeppt's pen keys apply:
//   B Y R G M  pen colour: blue, yellow, red, green, magenta (half transparent, as in nodeppt)
//   1 2 3 4    pen width: 3, 7, 11, 15 px
// Otherwise these keys mean what they mean in deckgen: B blacks the screen out, digits + Enter
// go to a slide. (nodeppt also counted 1-4 towards its invisible slide number; deckgen shows
// the number being typed, so while the board is up 1-4 only choose the pen.)
// Each time the board comes up the pen is nodeppt's: red, 3 px.
//
// The board covers the 1280x720 slide canvas (not the letterbox), so what is drawn stays on the
// slide when the window is resized or zoomed (zoom.js). Not in the presenter window.
deckgen.use(function (deck) {
  "use strict";
  if (deck.isPresenter) return;
  var WIDTH = 1280, HEIGHT = 720;
  var COLOURS = { b: "rgba(0,0,255,0.5)", y: "rgba(255,255,0,0.5)", r: "rgba(255,0,0,0.5)",
                  g: "rgba(0,255,0,0.5)", m: "rgba(255,0,255,0.5)" };
  var WIDTHS = { 1: 3, 2: 7, 3: 11, 4: 15 };
  var board = null, context = null;
  var under = null;   // the board as it was when the stroke began
  var stroke = null;  // {id, points} while a pointer draws

  function build() {
    board = document.createElement("canvas");
    board.className = "deckgen-board";
    board.hidden = true;
    board.setAttribute("aria-hidden", "true");
    board.addEventListener("pointerdown", down);
    board.addEventListener("pointermove", move);
    board.addEventListener("pointerup", up);
    board.addEventListener("pointercancel", up);
    board.addEventListener("lostpointercapture", up);
    // A stroke drawn with a finger is not a swipe to the next slide (touch.js).
    ["touchstart", "touchmove", "touchend"].forEach(function (type) {
      board.addEventListener(type, function (event) { event.stopPropagation(); }, { passive: true });
    });
    board.addEventListener("contextmenu", function (event) { event.preventDefault(); });
    under = document.createElement("canvas");
  }

  function isOpen() { return !!board && !board.hidden; }

  function open() {
    if (isOpen()) return false;
    if (!board || !document.contains(board)) build();
    deck.root.querySelector(".deckgen-canvas").appendChild(board);
    // Drawn at the screen's resolution (the canvas is scaled with the slide).
    var ratio = Math.min(3, Math.max(1, (deck.scale || 1) * (window.devicePixelRatio || 1)));
    board.width = under.width = Math.round(WIDTH * ratio);
    board.height = under.height = Math.round(HEIGHT * ratio);
    context = board.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineJoin = "round";
    context.lineCap = "round";
    context.strokeStyle = COLOURS.r;
    context.lineWidth = WIDTHS[1];
    board.hidden = false;
    deck.root.classList.add("is-painting");
    deck.emit("paint", { open: true });
    return true;
  }

  function close() {
    if (!isOpen()) return false;
    stroke = null;
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, board.width, board.height);
    context.restore();
    board.hidden = true;
    deck.root.classList.remove("is-painting");
    deck.emit("paint", { open: false });
    return true;
  }

  // Where the pointer is, in slide pixels, whatever the window's scale or zoom.
  function point(event) {
    var rect = board.getBoundingClientRect();
    return { x: (event.clientX - rect.left) * WIDTH / rect.width,
             y: (event.clientY - rect.top) * HEIGHT / rect.height };
  }

  function down(event) {
    if (stroke || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    try { board.setPointerCapture(event.pointerId); } catch (e) { /* not capturable */ }
    var copy = under.getContext("2d");
    copy.clearRect(0, 0, under.width, under.height);
    copy.drawImage(board, 0, 0);
    stroke = { id: event.pointerId, points: [point(event)] };
  }

  // The whole stroke is one path, drawn again over the board as it was: a half-transparent pen
  // stays even where the segments meet.
  function move(event) {
    if (!stroke || event.pointerId !== stroke.id) return;
    event.preventDefault();
    var points = stroke.points;
    var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    if (!events.length) events = [event];
    events.forEach(function (e) { points.push(point(e)); });
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, board.width, board.height);
    context.drawImage(under, 0, 0);
    context.restore();
    context.beginPath();
    context.moveTo(points[0].x, points[0].y);
    for (var i = 1; i < points.length; i++) context.lineTo(points[i].x, points[i].y);
    context.stroke();
  }

  function up(event) {
    if (stroke && event.pointerId === stroke.id) stroke = null;
  }

  deck.paint = {
    open: open,
    close: close,
    toggle: function () { return isOpen() ? close() : open(); },
    isOpen: isOpen,
    canvas: function () { return board; },
    context: function () { return isOpen() ? context : null; }
  };

  deck.keyHelp.push(
    { keys: ["P"], does: "drawing board on / off: draw on the slide with the mouse, a pen or a finger" },
    { keys: ["B", "Y", "R", "G", "M"], does: "drawing board: pen colour blue, yellow, red, green, magenta" },
    { keys: ["1", "2", "3", "4"], does: "drawing board: pen width, thin to thick" },
    { keys: ["C"], does: "drawing board: clear it and take it away" });

  // Capturing on window: while the board is up, B is the blue pen before it can black the
  // screen out (screen.js), and 1-4 are pen widths before keyboard.js takes them as a number.
  window.addEventListener("keydown", function (event) {
    if (!deck.acceptsKey(event)) return;
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "p") {
      if (deck.overviewOpen) return;
      deck.paint.toggle();
      event.preventDefault();
      return;
    }
    if (!isOpen()) return;
    if (key === "c") {
      close();
      event.preventDefault();
    } else if (COLOURS[key]) {
      context.strokeStyle = COLOURS[key];
      event.preventDefault();
    } else if (WIDTHS[key]) {
      context.lineWidth = WIDTHS[key];
      event.preventDefault();
    }
  }, true);

  deck.on("change", function (event) { if (event.slideChanged) close(); });
  deck.on("overview", function (event) { if (event.open) close(); });
});
