// Printing (the browser's own Print, and `deckgen pdf`): print.css puts every slide on its own
// 1280x720 page; this piece readies the slides just before: each fully built (every step
// shown) and fitted as on screen, with the slides too long even at fit.js's smallest scale
// scaled further (paper cannot scroll). With ?print-notes in the URL each slide's notes print
// under it. Afterwards the current slide is put back as it was.
deckgen.use(function (deck) {
  "use strict";
  var html = document.documentElement;
  var withNotes = /[?&]print-notes(?:[=&]|$)/.test(window.location.search);
  var blocks = [];
  var printing = false;
  deck.printNotes = withNotes;

  var showStep = deck.showStep;

  function squeeze(slide) {
    var content = slide.querySelector(".slide-content");
    if (!content || !slide.classList.contains("is-scrolling")) return;
    var style = window.getComputedStyle(slide);
    var width = slide.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var height = slide.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    // Widening never makes the content taller, so the scale that fits at the present width
    // still fits once the content is given the width that scale frees.
    var scale = height / content.offsetHeight;
    content.style.width = (width / scale) + "px";
    content.style.transform = "scale(" + scale + ")";
    slide.classList.remove("is-scrolling");
    slide.setAttribute("data-scale", scale.toFixed(3));
  }

  function notesBlock(slide) {
    var block = document.createElement("div");
    block.className = "deckgen-print-notes-block";
    block.innerHTML = deck.notesOf ? deck.notesOf(slide) : "";
    if (!block.innerHTML) block.classList.add("is-empty");
    return block;
  }

  // Chromium tags the PDF from the accessibility tree and builds its outline (bookmarks) from
  // the headings there: every slide must be in the tree (none aria-hidden), and each slide's
  // first heading is made a top-level one, so the outline lists the slide titles.
  var changed = [];
  function remember(element, name, value) {
    changed.push([element, name, element.getAttribute(name)]);
    element.setAttribute(name, value);
  }
  function tagForOutline(slide) {
    remember(slide, "aria-hidden", "false");
    var headings = slide.querySelectorAll("h1, h2, h3, h4, h5, h6");
    for (var i = 0; i < headings.length; i++) {
      var heading = headings[i];
      if (heading.closest("aside.notes") || heading.hasAttribute("aria-level")) continue;
      var level = parseInt(heading.tagName.charAt(1), 10);
      if (i === 0 && level !== 1) remember(heading, "aria-level", "1");
      else if (i > 0 && level === 1) remember(heading, "aria-level", "2");
    }
  }
  function untag() {
    for (var i = changed.length - 1; i >= 0; i--) {
      var entry = changed[i];
      if (entry[2] === null) entry[0].removeAttribute(entry[1]);
      else entry[0].setAttribute(entry[1], entry[2]);
    }
    changed = [];
  }

  function before() {
    if (printing) return;
    printing = true;
    html.classList.add("deckgen-printing");
    html.classList.toggle("deckgen-print-notes", deck.printNotes);
    deck.slides.forEach(function (slide) {
      tagForOutline(slide);
      showStep(slide, Infinity);
      if (deck.fit) deck.fit(slide);
      squeeze(slide);
      if (deck.printNotes) {
        var block = notesBlock(slide);
        slide.parentNode.insertBefore(block, slide.nextSibling);
        blocks.push(block);
      }
    });
    deck.emit("print", { printing: true });
  }

  function after() {
    if (!printing) return;
    printing = false;
    html.classList.remove("deckgen-printing", "deckgen-print-notes");
    untag();
    blocks.forEach(function (block) { if (block.parentNode) block.parentNode.removeChild(block); });
    blocks = [];
    var slide = deck.current();
    if (slide) {
      showStep(slide, deck.step);
      if (deck.fit) deck.fit(slide);
    }
    deck.emit("print", { printing: false });
  }

  deck.beforePrint = before;
  deck.afterPrint = after;
  window.addEventListener("beforeprint", before);
  window.addEventListener("afterprint", after);
});
