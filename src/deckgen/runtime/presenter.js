// The presenter view (S): a second window with the current slide, what comes next (the next
// step, or the next slide), the notes in large type, a timer and the clock. Either window
// drives both, steps included, and so do blackout and whiteout.
//
// The second window is this same file opened with ?deckgen-presenter: no second file, so it
// works from file://; it has every slide and the whole runtime (fragments, fit, keys); and it
// survives reloads. The windows talk through postMessage (window.opener, and the window that
// said hello) and, where it works, a BroadcastChannel. The presenter says hello every second,
// so it finds the deck again after a reload (deckgen serve) and shows when it cannot.
deckgen.use(function (deck) {
  "use strict";
  var PARAM = "deckgen-presenter";
  var HEARTBEAT = 1000;
  var isPresenter = new RegExp("[?&]" + PARAM + "(?:[=&]|$)").test(window.location.search);
  var key = "deckgen:" + window.location.pathname;  // one conversation per deck file
  var me = Math.random().toString(36).slice(2);
  var seq = 0;
  var seen = {};
  var peer = null;  // the deck: the presenter window that last said hello
  var channel = null;
  try { channel = new window.BroadcastChannel(key); } catch (e) { channel = null; }

  deck.isPresenter = isPresenter;

  // A still copy of a slide at a step (a number, or Infinity for fully built), to draw
  // elsewhere: the presenter's "next" view and the overview's thumbnails. The caller puts it
  // in the page and then fits it (deck.fit).
  deck.snapshot = function (slide, step) {
    var copy = slide.cloneNode(true);
    copy.classList.remove("is-current", "is-past", "is-future", "is-leaving", "is-entering");
    copy.classList.add("deckgen-snapshot");
    copy.removeAttribute("aria-hidden");
    var media = copy.querySelectorAll("video[autoplay], audio[autoplay]");
    for (var i = 0; i < media.length; i++) media[i].removeAttribute("autoplay");
    deck.showStep(copy, step);
    return copy;
  };

  function send(message) {
    message.deckgen = key;
    message.from = me;
    message.seq = ++seq;
    message.role = isPresenter ? "presenter" : "deck";
    var target = isPresenter ? window.opener : peer;
    if (target && !target.closed) {
      try { target.postMessage(message, "*"); } catch (e) { /* the window went away */ }
    }
    if (channel) {
      try { channel.postMessage(message); } catch (e) { /* closed */ }
    }
  }

  function follow(message) {
    deck.go(message.index, "remote", message.step);
    if (deck.setScreen && typeof message.screen === "string") deck.setScreen(message.screen, "remote");
  }

  var presenter = isPresenter ? presenterView() : null;

  // fromOpener: the message came by postMessage from the window that opened this one.
  function receive(data, fromOpener) {
    if (!data || data.deckgen !== key || data.from === me || typeof data.seq !== "number") return;
    // The same message can come twice (postMessage and the channel), or late: newest wins.
    if (seen[data.from] >= data.seq) return;
    if (isPresenter) {
      if (data.role !== "deck" || !presenter.accepts(data, fromOpener)) return;
      seen[data.from] = data.seq;
      presenter.receive(data);
      return;
    }
    if (data.role !== "presenter") return;
    seen[data.from] = data.seq;
    if (data.type === "hello") {
      send({ type: "state", index: deck.index, step: deck.step, screen: deck.screenMode || "" });
    } else if (data.type === "go") {
      deck.go(data.index, "remote", data.step);
    } else if (data.type === "screen" && deck.setScreen) {
      deck.setScreen(data.mode, "remote");
    }
  }

  function sameOrigin(event) {
    // file:// pages post with the origin "null".
    return event.origin === window.location.origin ||
      (window.location.protocol === "file:" && event.origin === "null");
  }
  window.addEventListener("message", function (event) {
    if (!sameOrigin(event)) return;
    if (isPresenter && event.source !== window.opener) return;
    var data = event.data;
    // Remember who said hello even when the channel brought the same message first.
    if (!isPresenter && data && data.deckgen === key && data.role === "presenter" && event.source) {
      peer = event.source;
    }
    receive(data, isPresenter);
  });
  if (channel) channel.onmessage = function (event) { receive(event.data, false); };

  deck.on("change", function (event) {
    // Moves that came from the other window, or the deck's own start and refresh, stay here.
    if (event.origin === "remote" || event.origin === "start" || event.origin === "refresh") return;
    send({ type: "go", index: event.to, step: event.step });
  });
  deck.on("screen", function (event) {
    if (event.origin !== "remote") send({ type: "screen", mode: event.mode });
  });

  if (isPresenter) return;

  // -- the deck window: S opens (or brings forward) the presenter window --------------------------

  function presenterUrl() {
    var base = window.location.href.split("#")[0];
    return base + (base.indexOf("?") < 0 ? "?" : "&") + PARAM +
      "#/" + (deck.index + 1) + (deck.step ? "/" + deck.step : "");
  }

  var toastTimer = 0;
  function toast(text) {
    var box = deck.root.querySelector(".deckgen-toast");
    if (!box) {
      box = document.createElement("div");
      box.className = "deckgen-toast";
      box.setAttribute("role", "status");
      deck.root.appendChild(box);
    }
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  function openPresenter() {
    if (peer && !peer.closed) { peer.focus(); return; }
    // Opening by name finds the presenter window this one opened before a reload (then it is
    // only brought forward, its timer running on); a new window starts blank, then loads.
    var win = window.open("", key, "popup,width=1180,height=760");
    if (!win) {
      toast("The presenter window was blocked: allow pop-ups for this page, then press S again.");
      return;
    }
    var blank;
    try { blank = win.location.href === "about:blank"; } catch (e) { blank = false; }
    if (blank) win.location.replace(presenterUrl());
    peer = win;
    win.focus();
  }

  deck.keyHelp.push({ keys: ["S"], does: "presenter view: notes, next slide, timer (new window)" });
  document.addEventListener("keydown", function (event) {
    if (!deck.acceptsKey(event) || (event.key !== "s" && event.key !== "S")) return;
    event.preventDefault();
    openPresenter();
  });

  // -- the presenter window ----------------------------------------------------------------------

  function presenterView() {
    var html = document.documentElement;
    html.classList.add("deckgen-presenter-mode");
    document.title = "Presenter: " + document.title;

    var view = element("div", "deckgen-presenter");
    view.innerHTML =
      '<div role="region" class="dp-pane dp-now"><h2 class="dp-label">Now <span class="dp-where"></span></h2>' +
      '<div class="dp-slot dp-now-slot"></div></div>' +
      '<div role="region" class="dp-pane dp-next"><h2 class="dp-label">Next <span class="dp-what"></span></h2>' +
      '<div class="dp-slot dp-next-slot"><div class="dp-canvas" inert></div>' +
      '<p class="dp-end" hidden>End of the deck</p></div></div>' +
      '<div role="region" class="dp-pane dp-notes"><h2 class="dp-label">Notes' +
      '<span class="dp-sizes"><button type="button" class="dp-smaller" title="Smaller notes (-)">A\u2212</button>' +
      '<button type="button" class="dp-bigger" title="Bigger notes (+)">A+</button></span></h2>' +
      '<div class="dp-notes-text" aria-live="polite"></div></div>' +
      '<footer class="dp-bar">' +
      '<span class="dp-timer" role="timer" title="Time since the presenter view opened">0:00</span>' +
      '<button type="button" class="dp-pause" title="Pause or resume the timer (T)">Pause</button>' +
      '<button type="button" class="dp-reset" title="Reset the timer (R)">Reset</button>' +
      '<span class="dp-clock" title="Clock"></span>' +
      '<span class="dp-screen" hidden></span>' +
      '<span class="dp-status" role="status"></span></footer>';
    deck.root.appendChild(view);
    function part(name) { return view.querySelector("." + name); }
    var stage = deck.root.querySelector(".deckgen-stage");
    var nowSlot = part("dp-now-slot"), nextSlot = part("dp-next-slot"), canvas = part("dp-canvas");
    var notes = part("dp-notes-text"), timerText = part("dp-timer"), pause = part("dp-pause");

    // The deck's own stage shows the current slide, moved over the "Now" box.
    function layout() {
      var box = nowSlot.getBoundingClientRect();
      if (stage) {
        stage.style.left = box.left + "px";
        stage.style.top = box.top + "px";
        stage.style.width = box.width + "px";
        stage.style.height = box.height + "px";
        stage.style.setProperty("--deckgen-scale", String(Math.min(box.width / 1280, box.height / 720)));
      }
      var next = nextSlot.getBoundingClientRect();
      canvas.style.setProperty("--deckgen-scale", String(Math.min(next.width / 1280, next.height / 720)));
    }

    function title(slide) {
      var heading = slide && slide.querySelector("h1, h2, h3, h4, h5, h6");
      return heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    }

    function render() {
      var slide = deck.current();
      var count = deck.stepCount(slide);
      var total = deck.slides.length;
      part("dp-where").textContent = slide ? (deck.index + 1) + " / " + total +
        (count ? " \u00b7 step " + deck.step + " / " + count : "") : "";
      var target = null, step = 0, what = "";
      if (slide && deck.step < count) {
        target = slide; step = deck.step + 1;
        what = "step " + step + " / " + count;
      } else if (deck.index + 1 < total) {
        target = deck.slides[deck.index + 1];
        what = "slide " + (deck.index + 2) + (title(target) ? ": " + title(target) : "");
      }
      part("dp-what").textContent = what;
      part("dp-end").hidden = !!target;
      canvas.textContent = "";
      if (target) {
        var copy = deck.snapshot(target, step);
        canvas.appendChild(copy);
        if (deck.fit) deck.fit(copy);
      }
    }

    // Notes are redrawn only when the slide changes, so a step keeps their scroll position.
    function renderNotes() {
      var text = deck.notesOf(deck.current());
      notes.innerHTML = text || '<p class="dp-none">No notes for this slide.</p>';
      notes.scrollTop = 0;
    }

    function renderScreen() {
      var screen = part("dp-screen");
      screen.hidden = !deck.screenMode;
      screen.textContent = deck.screenMode ?
        "Audience screen: " + deck.screenMode + " (any key brings the slide back)" : "";
    }

    // Notes size: + and - (and the buttons), remembered where storage works.
    var size = 30;
    try { size = parseInt(window.localStorage.getItem("deckgen-notes-size"), 10) || size; } catch (e) { /* file:// in some browsers */ }
    function setSize(value) {
      size = Math.max(14, Math.min(72, value));
      notes.style.fontSize = size + "px";
      try { window.localStorage.setItem("deckgen-notes-size", String(size)); } catch (e) { /* ignore */ }
    }
    setSize(size);
    part("dp-smaller").addEventListener("click", function () { setSize(size - 4); });
    part("dp-bigger").addEventListener("click", function () { setSize(size + 4); });

    // The timer runs from when the window opened; pause and reset. It is kept in the window's
    // session storage, so reloading the presenter window (deckgen serve does) keeps it going.
    var timer = { running: true, since: Date.now(), before: 0 };
    var TIMER_KEY = "deckgen-timer:" + key;
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(TIMER_KEY) || "null");
      if (saved && typeof saved.since === "number" && typeof saved.before === "number") timer = saved;
    } catch (e) { /* no storage: the timer starts now */ }
    function save() {
      try { window.sessionStorage.setItem(TIMER_KEY, JSON.stringify(timer)); } catch (e) { /* ignore */ }
    }
    save();
    function elapsed() { return timer.before + (timer.running ? Date.now() - timer.since : 0); }
    function pad(n) { return n < 10 ? "0" + n : String(n); }
    function format(ms) {
      var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
      return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(s % 60);
    }
    function togglePause() {
      if (timer.running) { timer.before = elapsed(); timer.running = false; }
      else { timer.since = Date.now(); timer.running = true; }
      save();
      showPaused();
      tick();
    }
    function showPaused() {
      pause.textContent = timer.running ? "Pause" : "Resume";
      view.classList.toggle("is-paused", !timer.running);
    }
    showPaused();
    function reset() { timer.before = 0; timer.since = Date.now(); save(); tick(); }
    pause.addEventListener("click", togglePause);
    part("dp-reset").addEventListener("click", reset);

    // Connection: the deck window answers each hello; silence for a few seconds means lost.
    var deckInstance = null, heardAt = 0;
    function tick() {
      timerText.textContent = format(elapsed());
      var now = new Date();
      part("dp-clock").textContent = pad(now.getHours()) + ":" + pad(now.getMinutes());
      var connected = heardAt && Date.now() - heardAt < HEARTBEAT * 3.5;
      var status = part("dp-status");
      status.textContent = connected ? "connected" : "looking for the deck window\u2026";
      view.classList.toggle("is-connected", !!connected);
    }
    function hello() { send({ type: "hello" }); tick(); }

    deck.keyHelp.push(
      { keys: ["T"], does: "presenter: pause / resume the timer" },
      { keys: ["R"], does: "presenter: reset the timer" },
      { keys: ["+", "-"], does: "presenter: bigger / smaller notes" });
    document.addEventListener("keydown", function (event) {
      if (!deck.acceptsKey(event)) return;
      var k = event.key;
      if (k === "t" || k === "T") togglePause();
      else if (k === "r" || k === "R") reset();
      else if (k === "+" || k === "=") setSize(size + 4);
      else if (k === "-" || k === "_") setSize(size - 4);
      else return;
      event.preventDefault();
    });

    deck.on("change", function (event) {
      render();
      if (event.slideChanged) renderNotes();
    });
    deck.on("refresh", function () { render(); renderNotes(); });
    deck.on("screen", renderScreen);
    deck.on("ready", function () {
      layout();
      render();
      renderNotes();
      renderScreen();
      hello();
      setInterval(hello, HEARTBEAT);
      setInterval(tick, 250);
    });
    window.addEventListener("resize", layout);

    // Which deck window to follow: the one that opened this window, whatever it says first (a
    // reload makes it a new instance); through the channel, one found while it answers.
    function hasOpener() { return !!(window.opener && !window.opener.closed); }
    return {
      accepts: function (data, fromOpener) {
        if (data.from === deckInstance) return true;
        if (fromOpener) return true;
        var silent = !heardAt || Date.now() - heardAt > HEARTBEAT * 2.5;
        return !hasOpener() && data.type === "state" && silent;
      },
      receive: function (data) {
        var isNew = data.from !== deckInstance;
        deckInstance = data.from;
        heardAt = Date.now();
        if (data.type === "state") {
          if (isNew) follow(data);  // a deck window just found (or reloaded): show where it is
        } else if (data.type === "go") {
          deck.go(data.index, "remote", data.step);
        } else if (data.type === "screen" && deck.setScreen) {
          deck.setScreen(data.mode, "remote");
        }
        tick();
      }
    };
  }

  function element(tag, className) {
    var el = document.createElement(tag);
    el.className = className;
    return el;
  }
});
