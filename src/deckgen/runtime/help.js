// ? shows every key the deck knows (deck.keyHelp, filled by each piece) over the slide;
// ? or Esc (or a click outside the list) hides it. Other keys keep working underneath.
deckgen.use(function (deck) {
  "use strict";
  var overlay = null;
  var returnFocus = null;
  deck.helpOpen = false;
  deck.keyHelp.push({ keys: ["?"], does: "this list of keys" });

  function build() {
    overlay = document.createElement("div");
    overlay.className = "deckgen-help";
    overlay.hidden = true;
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "deckgen-help-title");
    overlay.addEventListener("click", function (event) {
      if (event.target === overlay) close();
    });
    deck.root.appendChild(overlay);
  }

  // Built each time it opens: pieces may add keys after the first time.
  function fill() {
    var box = document.createElement("div");
    box.className = "deckgen-help-box";
    box.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.id = "deckgen-help-title";
    heading.textContent = "Keys";
    box.appendChild(heading);
    var table = document.createElement("table");
    var body = document.createElement("tbody");
    deck.keyHelp.forEach(function (entry) {
      var row = document.createElement("tr");
      var keys = document.createElement("th");
      keys.scope = "row";
      entry.keys.forEach(function (name, i) {
        if (i) keys.appendChild(document.createTextNode(" "));
        var kbd = document.createElement("kbd");
        kbd.textContent = name;
        keys.appendChild(kbd);
      });
      var does = document.createElement("td");
      does.textContent = entry.does;
      row.appendChild(keys);
      row.appendChild(does);
      body.appendChild(row);
    });
    table.appendChild(body);
    box.appendChild(table);
    var hint = document.createElement("p");
    hint.className = "deckgen-help-hint";
    hint.textContent = "Keys do nothing while you type in a field. Press ? or Esc to close.";
    box.appendChild(hint);
    overlay.textContent = "";
    overlay.appendChild(box);
    return box;
  }

  function open() {
    if (!overlay) build();
    var box = fill();
    overlay.hidden = false;
    deck.helpOpen = true;
    deck.root.classList.add("is-help-open");
    returnFocus = document.activeElement;
    box.focus({ preventScroll: true });
  }

  function close() {
    if (!deck.helpOpen) return;
    overlay.hidden = true;
    deck.helpOpen = false;
    deck.root.classList.remove("is-help-open");
    if (returnFocus && returnFocus.focus && document.contains(returnFocus)) returnFocus.focus();
    returnFocus = null;
  }

  deck.toggleHelp = function () { if (deck.helpOpen) close(); else open(); };

  // Esc closes the list before it can open the overview: listen before the other pieces.
  window.addEventListener("keydown", function (event) {
    if (!deck.helpOpen || deck.screenMode || !deck.acceptsKey(event)) return;
    if (event.key === "Escape" || event.key === "?") {
      event.preventDefault();
      close();
    }
  }, true);
  document.addEventListener("keydown", function (event) {
    if (!deck.acceptsKey(event) || event.key !== "?") return;
    event.preventDefault();
    open();
  });
});
