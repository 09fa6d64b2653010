// Speaker notes: `aside.notes` inside a slide (from [note] ... [/note], or written by hand) is
// never shown on the slide (nodeppt.css hides it); N shows the current slide's notes in an
// overlay at the bottom of the window, and N (or Escape) hides it again. It follows the slide.
deckgen.use(function (deck) {
  "use strict";
  var overlay = document.createElement("aside");
  overlay.className = "deckgen-notes";
  overlay.setAttribute("aria-label", "Speaker notes");
  overlay.setAttribute("aria-live", "polite");
  overlay.hidden = true;
  deck.root.appendChild(overlay);

  // The notes of a slide as HTML ("" when it has none); the presenter view reads them too.
  deck.notesOf = function (slide) {
    if (!slide) return "";
    return Array.prototype.filter.call(slide.querySelectorAll("aside.notes"), function (aside) {
      return aside.closest("section.slide") === slide;
    }).map(function (aside) { return aside.innerHTML.trim(); }).filter(Boolean).join("\n");
  };

  function render() {
    var slide = deck.current();
    var html = deck.notesOf(slide);
    var title = document.createElement("p");
    title.className = "deckgen-notes-title";
    title.textContent = "Notes · slide " + (deck.index + 1);
    overlay.innerHTML = "";
    overlay.appendChild(title);
    var body = document.createElement("div");
    body.className = "deckgen-notes-body";
    if (html) body.innerHTML = html;
    else {
      body.className += " is-empty";
      body.textContent = "No notes for this slide.";
    }
    overlay.appendChild(body);
  }

  function setOpen(open) {
    if (open) render();
    overlay.hidden = !open;
    deck.root.classList.toggle("is-showing-notes", open);
  }
  deck.toggleNotes = function (open) {
    setOpen(open === undefined ? overlay.hidden : !!open);
    return !overlay.hidden;
  };

  deck.on("change", function (event) {
    if (!overlay.hidden && (event.slideChanged || event.origin === "refresh")) render();
  });
  deck.on("refresh", function () { if (!overlay.hidden) render(); });

  deck.keyHelp = deck.keyHelp || [];
  deck.keyHelp.push({ keys: ["N"], does: "show or hide the speaker notes" });
  document.addEventListener("keydown", function (event) {
    if (!deck.acceptsKey(event)) return;
    if (event.key === "n" || event.key === "N") {
      setOpen(overlay.hidden);
      event.preventDefault();
    } else if (event.key === "Escape" && !overlay.hidden) {
      setOpen(false);
      event.preventDefault();
    }
  });
});
