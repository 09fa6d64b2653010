// Steps within a slide: fragments (reveal.js style `.fragment`, and nodeppt's build lists) and
// the parts of [magic] / [subslide] blocks, one step provider for all of them, in document order.
//
// Markup (what plugins/fragments.py and plugins/magic.py write, or the author by hand):
// `.fragment` elements, with `data-animation` (fadeIn, rollIn, moveIn, bounceIn, zoomIn, fade,
// build; default fade) and optional `data-fragment-index` (equal numbers reveal together,
// numbered ones first: reveal.js's rule). nodeppt's raw-HTML build lists
// (`<ul class="build">`, `.fadeIn`, `.rollIn`... as nodeppt's own runtime read them) get their
// direct children made fragments. `.magic > .magic-part` and `.subslide > .subslide-part`: the
// first part shows at first, every further part is a step, one part visible at a time.
//
// State lives in classes the CSS (transitions.css) reads: `.fragment.is-visible` (revealed),
// `.is-latest` (revealed by the step just taken forward: it plays its animation), `.is-active`
// (the part shown) and `.is-entering` (a part that just replaced another). In a nodeppt `fade`
// list (`.fade > .fragment`) only the latest revealed item shows, as in nodeppt.
deckgen.use(function (deck) {
  "use strict";
  var ANIMATIONS = ["fadeIn", "rollIn", "moveIn", "bounceIn", "zoomIn", "fade", "build"];
  var BUILD_LISTS = ANIMATIONS.map(function (name) { return "." + name; }).join(",");
  var ITEMS = ".fragment, .magic > .magic-part, .subslide > .subslide-part";
  var NOT_A_STEP = /^(script|style|template|link|meta)$/i;
  var stepsBySlide = new WeakMap();
  var shown = { slide: null, step: 0 };

  function animationOf(element) {
    for (var i = 0; i < ANIMATIONS.length; i++) {
      if (element.classList.contains(ANIMATIONS[i])) return ANIMATIONS[i];
    }
    return null;
  }

  function inNotes(element, slide) {
    var notes = element.closest("aside.notes");
    return !!notes && slide.contains(notes);
  }

  // nodeppt marked build lists with a class on the container; its children were the steps.
  // The build already marks the children of the lists it wrote (and decides which ones: not a
  // slide's leading headings), so only containers without any .fragment child are taken here.
  function adoptBuildLists(slide) {
    Array.prototype.forEach.call(slide.querySelectorAll(BUILD_LISTS), function (list) {
      if (list.classList.contains("fragment") || inNotes(list, slide)) return;
      if (Array.prototype.some.call(list.children, function (child) {
        return child.classList.contains("fragment");
      })) return;
      var animation = animationOf(list);
      Array.prototype.forEach.call(list.children, function (child) {
        if (NOT_A_STEP.test(child.tagName) || child.matches("aside.notes")) return;
        child.classList.add("fragment");
        if (!child.hasAttribute("data-animation")) child.setAttribute("data-animation", animation);
      });
    });
  }

  // The slide's steps: a list of groups, each a list of {element, part} revealed together.
  function stepsOf(slide) {
    var steps = stepsBySlide.get(slide);
    if (steps) return steps;
    adoptBuildLists(slide);
    var numbered = Object.create(null), unnumbered = [];
    Array.prototype.forEach.call(slide.querySelectorAll(ITEMS), function (element) {
      if (inNotes(element, slide)) return;
      var isPart = element.matches(".magic > .magic-part, .subslide > .subslide-part");
      if (isPart && !element.previousElementSibling) return;  // the first part shows from the start
      if (!isPart && !element.hasAttribute("data-animation")) {
        element.setAttribute("data-animation", animationOf(element) || "fade");
      }
      var item = { element: element, part: isPart };
      var index = isPart ? NaN : parseInt(element.getAttribute("data-fragment-index"), 10);
      if (isNaN(index) || index < 0) unnumbered.push([item]);
      else (numbered[index] = numbered[index] || []).push(item);
    });
    steps = Object.keys(numbered).map(Number).sort(function (a, b) { return a - b; })
      .map(function (index) { return numbered[index]; }).concat(unnumbered);
    stepsBySlide.set(slide, steps);
    return steps;
  }

  function clearAnimations(slide) {
    if (!slide) return;
    Array.prototype.forEach.call(slide.querySelectorAll(".is-latest, .is-entering"), function (el) {
      el.classList.remove("is-latest", "is-entering");
    });
  }

  function transitionOf(container) {
    var name = container.getAttribute("data-transition") || "";
    var normalise = deck.normaliseTransition;
    return normalise ? normalise(name || "fade") : "fade";
  }

  function show(slide, step) {
    var steps = stepsOf(slide);
    // Only a single step forward (or back, for parts) on the current slide animates; arriving
    // on a slide, jumping or reloading shows the state at once, and so do copies of slides
    // (the presenter's and the overview's snapshots), which leave the tracking alone.
    var isCurrent = slide === deck.current();
    var sameSlide = isCurrent && shown.slide === slide;
    var forward = sameSlide && step === shown.step + 1;
    var backward = sameSlide && step === shown.step - 1;
    if (isCurrent && shown.slide && shown.slide !== slide) clearAnimations(shown.slide);
    clearAnimations(slide);
    var activeParts = new Map();
    steps.forEach(function (group, i) {
      var revealed = i < step;
      group.forEach(function (item) {
        var element = item.element;
        if (item.part) {
          var container = element.parentElement;
          if (!activeParts.has(container)) activeParts.set(container, container.firstElementChild);
          if (revealed) activeParts.set(container, element);
          return;
        }
        element.classList.toggle("is-visible", revealed);
        if (revealed && forward && i === step - 1) element.classList.add("is-latest");
      });
    });
    activeParts.forEach(function (active, container) {
      var animate = forward || backward;
      container.setAttribute("data-effect", transitionOf(container));
      container.setAttribute("data-direction", backward ? "backward" : "forward");
      Array.prototype.forEach.call(container.children, function (part) {
        var isActive = part === active;
        var changed = isActive !== part.classList.contains("is-active");
        part.classList.toggle("is-active", isActive);
        part.setAttribute("aria-hidden", isActive ? "false" : "true");
        if (isActive && changed && animate) part.classList.add("is-entering");
      });
    });
    if (isCurrent) {
      shown.slide = slide;
      shown.step = step;
    }
  }

  deck.stepProviders.push({
    count: function (slide) { return stepsOf(slide).length; },
    show: show
  });
  // When deckgen serve replaces the slides, the new elements get their own entries in
  // stepsBySlide, and core's refresh shows the current one (which resets `shown`).
});
