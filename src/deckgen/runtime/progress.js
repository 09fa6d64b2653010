// The thin progress bar and the "5 / 21" slide number.
deckgen.use(function (deck) {
  "use strict";
  var bar = deck.root.querySelector(".deckgen-progress-bar");
  var current = deck.root.querySelector(".deckgen-current");
  var number = deck.root.querySelector(".deckgen-number");
  var total = deck.root.querySelector(".deckgen-total");
  deck.on("change", function (event) {
    var count = deck.slides.length;
    if (bar) bar.style.width = (count ? ((event.to + 1) / count) * 100 : 0) + "%";
    if (current) current.textContent = String(event.to + 1);
    if (total) total.textContent = String(count);
  });
  deck.on("typing", function (event) {
    if (number) number.setAttribute("data-typed", event.value ? "go to " + event.value : "");
  });
});
