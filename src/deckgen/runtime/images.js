// Images that cannot be shown (a remote image while offline, a broken file) become the framed
// placeholder the build writes for a missing local image (assets.placeholder_html): the alt
// text or file name in a box of the image's size, instead of the browser's small broken icon.
// One capturing "error" listener catches every failure in the slides, also in copies of slides
// (overview thumbnails, the presenter's view); images that failed before this script ran are
// found by looking (complete, but no pixels).
deckgen.use(function (deck) {
  "use strict";

  function fileName(src) {
    if (/^data:/i.test(src)) return "";
    var path = src.split(/[?#]/)[0].replace(/\/+$/, "");
    var name = path.slice(path.lastIndexOf("/") + 1);
    try { name = decodeURIComponent(name); } catch (e) { /* not %-encoded: as written */ }
    return name || src;
  }

  function length(value) {
    var m = /^\s*(\d+(?:\.\d+)?)\s*(px|%)?\s*$/i.exec(value || "");
    return m ? m[1] + (m[2] === "%" ? "%" : "px") : null;
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function placeholder(img) {
    var src = img.getAttribute("src") || "";
    var alt = (img.getAttribute("alt") || "").replace(/\s+/g, " ").trim();
    var file = fileName(src);
    var label = alt || file || "image";
    var box = document.createElement("span");
    box.className = ("deckgen-image-missing " + (img.getAttribute("class") || "")).trim();
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", label);
    if (!/^data:/i.test(src)) box.setAttribute("data-deckgen-src", src);
    ["id", "title"].forEach(function (name) {
      if (img.getAttribute(name)) box.setAttribute(name, img.getAttribute(name));
    });
    var style = "";
    ["width", "height"].forEach(function (name) {
      var value = length(img.getAttribute(name));
      if (value) style += name + ":" + value + ";min-" + name + ":0;";
    });
    style += img.getAttribute("style") || "";
    if (style) box.setAttribute("style", style);
    box.appendChild(span("deckgen-image-missing-label", label));
    if (alt && file && file !== alt) box.appendChild(span("deckgen-image-missing-file", file));
    return box;
  }

  function replace(img) {
    var slide = img.parentNode && img.closest(".slide");
    if (!slide) return;
    img.parentNode.replaceChild(placeholder(img), img);
    if (deck.fit && slide === deck.current()) deck.fit(slide);
  }

  // Images inside `root` that already failed: complete with no pixels. An SVG without a size
  // has none either, so the browser's decoder decides.
  function scan(root) {
    Array.prototype.forEach.call(root.querySelectorAll("img[src]"), function (img) {
      if (!img.getAttribute("src") || !img.complete || img.naturalWidth !== 0) return;
      if (img.decode) img.decode().then(null, function () { replace(img); });
      else replace(img);
    });
  }

  document.addEventListener("error", function (event) {
    if (event.target && event.target.tagName === "IMG") replace(event.target);
  }, true);
  deck.placeholderFor = placeholder;
  deck.scanImages = scan;
  scan(deck.root);
});
