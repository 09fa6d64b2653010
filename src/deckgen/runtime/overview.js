// The overview (O or Esc): every slide as a thumbnail in a grid, the current one highlighted.
// Arrows (and Home/End, PageUp/PageDown) move the selection, Enter (or Space) or a click opens
// a slide, O or Esc leaves; a number then Enter (keyboard.js) goes to that slide from here too.
// Thumbnails are still copies of the slides, fully built, drawn as they scroll into view so a
// deck of thousands of slides opens as fast as a short one.
deckgen.use(function (deck) {
  "use strict";
  var overlay = null, list = null, items = [], selected = 0, typing = "";
  var observer = null, returnFocus = null;
  deck.overviewOpen = false;
  deck.keyHelp.push({ keys: ["O", "Esc"], does: "overview of all slides: arrows choose, Enter opens" });

  deck.on("typing", function (event) { typing = event.value || ""; });
  var goToTyped = deck.goToTyped;
  deck.goToTyped = function (number) {
    goToTyped(number);
    close();
  };

  function title(slide) {
    var heading = slide.querySelector("h1, h2, h3, h4, h5, h6");
    return heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function build() {
    overlay = document.createElement("div");
    overlay.className = "deckgen-overview";
    overlay.hidden = true;
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Slide overview");
    list = document.createElement("ol");
    list.className = "deckgen-overview-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Slides");
    list.tabIndex = -1;
    overlay.appendChild(list);
    list.addEventListener("click", function (event) {
      var item = event.target.closest ? event.target.closest(".deckgen-thumb") : null;
      if (item) choose(parseInt(item.getAttribute("data-index"), 10));
    });
    deck.root.appendChild(overlay);
  }

  function draw(item) {
    if (item.getAttribute("data-drawn")) return;
    item.setAttribute("data-drawn", "1");
    var slide = deck.slides[parseInt(item.getAttribute("data-index"), 10)];
    var canvas = item.querySelector(".deckgen-thumb-canvas");
    if (!slide || !canvas) return;
    var copy = deck.snapshot ? deck.snapshot(slide, Infinity) : slide.cloneNode(true);
    canvas.appendChild(copy);
    if (deck.fit) deck.fit(copy);
  }

  // The slides may have changed since last time (deckgen serve): list them afresh.
  function fill() {
    if (observer) observer.disconnect();
    list.textContent = "";
    items = deck.slides.map(function (slide, i) {
      var item = document.createElement("li");
      item.className = "deckgen-thumb";
      item.id = "deckgen-thumb-" + (i + 1);
      item.setAttribute("role", "option");
      item.setAttribute("data-index", String(i));
      item.setAttribute("aria-selected", "false");
      var name = title(slide);
      item.setAttribute("aria-label", (i + 1) + (name ? ": " + name : ""));
      item.classList.toggle("is-current", i === deck.index);
      var frame = document.createElement("div");
      frame.className = "deckgen-thumb-frame";
      var canvas = document.createElement("div");
      canvas.className = "deckgen-thumb-canvas";
      canvas.setAttribute("inert", "");
      canvas.setAttribute("aria-hidden", "true");
      frame.appendChild(canvas);
      var number = document.createElement("span");
      number.className = "deckgen-thumb-number";
      number.textContent = String(i + 1);
      item.appendChild(frame);
      item.appendChild(number);
      list.appendChild(item);
      return item;
    });
    if ("IntersectionObserver" in window) {
      observer = new window.IntersectionObserver(function (entries) {
        entries.forEach(function (entry) { if (entry.isIntersecting) draw(entry.target); });
      }, { root: overlay, rootMargin: "400px 0px" });
      items.forEach(function (item) { observer.observe(item); });
    } else {
      items.forEach(draw);
    }
  }

  function rescale() {
    if (!items.length) return;
    var frame = items[0].querySelector(".deckgen-thumb-frame");
    list.style.setProperty("--deckgen-thumb-scale", String(frame.clientWidth / 1280));
  }

  function columns() {
    var top = items.length ? items[0].offsetTop : 0, n = 1;
    while (n < items.length && items[n].offsetTop === top) n++;
    return n;
  }

  function rowsInView() {
    if (items.length < 2) return 1;
    var height = items[0].offsetHeight || 1;
    return Math.max(1, Math.floor(overlay.clientHeight / height) - 1);
  }

  function select(index) {
    if (!items.length) return;
    index = Math.max(0, Math.min(items.length - 1, index));
    if (items[selected]) {
      items[selected].classList.remove("is-selected");
      items[selected].setAttribute("aria-selected", "false");
    }
    selected = index;
    var item = items[selected];
    item.classList.add("is-selected");
    item.setAttribute("aria-selected", "true");
    list.setAttribute("aria-activedescendant", item.id);
    if (item.scrollIntoView) item.scrollIntoView({ block: "nearest" });
  }

  function open() {
    if (deck.overviewOpen || !deck.slides.length) return;
    if (!overlay) build();
    returnFocus = document.activeElement;
    fill();
    overlay.hidden = false;
    deck.overviewOpen = true;
    deck.root.classList.add("is-overview");
    rescale();
    selected = 0;
    select(Math.max(0, deck.index));
    list.focus({ preventScroll: true });
    deck.emit("overview", { open: true });
  }

  function close() {
    if (!deck.overviewOpen) return;
    overlay.hidden = true;
    deck.overviewOpen = false;
    deck.root.classList.remove("is-overview");
    if (observer) observer.disconnect();
    list.textContent = "";  // the copies go: they may hold media or frames
    items = [];
    if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
    returnFocus = null;
    deck.emit("overview", { open: false });
  }

  function choose(index) {
    deck.go(index, "overview", deck.index === index ? deck.step : 0);
    close();
  }

  deck.openOverview = open;
  deck.closeOverview = close;

  window.addEventListener("resize", function () { if (deck.overviewOpen) rescale(); });

  // While it is open the overview takes the arrows and Enter before keyboard.js moves the deck.
  window.addEventListener("keydown", function (event) {
    if (!deck.overviewOpen || deck.helpOpen || deck.screenMode || !deck.acceptsKey(event)) return;
    var key = event.key;
    if (key === "ArrowRight") select(selected + 1);
    else if (key === "ArrowLeft") select(selected - 1);
    else if (key === "ArrowDown") select(selected + columns());
    else if (key === "ArrowUp") select(selected - columns());
    else if (key === "PageDown") select(selected + columns() * rowsInView());
    else if (key === "PageUp") select(selected - columns() * rowsInView());
    else if (key === "Home") select(0);
    else if (key === "End") select(items.length - 1);
    else if ((key === "Enter" && !typing) || key === " ") choose(selected);
    else if ((key === "Escape" && !typing) || key === "o" || key === "O") close();
    else return;
    event.preventDefault();
  }, true);

  document.addEventListener("keydown", function (event) {
    if (deck.overviewOpen || !deck.acceptsKey(event)) return;
    if (event.key === "o" || event.key === "O" || event.key === "Escape") {
      event.preventDefault();
      open();
    }
  });
});
