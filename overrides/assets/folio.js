/* Regions that scroll sideways (long formulas, wide tables) must be reachable by keyboard
   (WCAG 2.1.1). Material's document$ fires on every page load, instant navigation included. */
function folioFocusableScrollers() {
  document.querySelectorAll(".folio-math, .md-typeset__scrollwrap").forEach(function (el) {
    if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
    }
  });
}
document$.subscribe(folioFocusableScrollers);

/* Material's search dialog has role="dialog" but no accessible name (axe: aria-dialog-name).
   Naming it here keeps Material's own search partial instead of a copy of it. */
function folioNameSearchDialog() {
  var dialog = document.querySelector('.md-search[role="dialog"]');
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", "Search this site");
  }
}
document$.subscribe(folioNameSearchDialog);

/* Hover previews: a reference to a figure, table or section of the same page shows that figure,
   table or the section's opening paragraph in a tooltip, on hover and on keyboard focus, so the
   reader does not lose their place. Escape closes it. Without JavaScript the link still jumps. */
function folioPreviewContent(target) {
  var content;
  if (target.tagName === "FIGURE") {
    content = target.cloneNode(true);
  } else if (/^H[2-4]$/.test(target.tagName)) {
    content = document.createElement("div");
    var title = document.createElement("p");
    title.className = "folio-preview__title";
    title.textContent = target.textContent.replace(/\u00b6/g, "").trim();
    content.appendChild(title);
    var next = target.nextElementSibling;
    while (next && next.tagName !== "P" && !/^H[1-6]$/.test(next.tagName)) next = next.nextElementSibling;
    if (next && next.tagName === "P") content.appendChild(next.cloneNode(true));
  } else {
    return null;
  }
  content.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
  content.removeAttribute("id");
  content.querySelectorAll("a, [tabindex]").forEach(function (el) { el.setAttribute("tabindex", "-1"); });
  return content;
}

function folioPreviews() {
  var old = document.getElementById("folio-preview");
  if (old) old.remove();
  var article = document.querySelector("article.md-content__inner");
  if (!article) return;
  var tip = document.createElement("div");
  tip.id = "folio-preview";
  tip.className = "folio-preview md-typeset";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.appendChild(tip);
  var current = null;
  function hide() {
    tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }
  function show(link, content) {
    tip.replaceChildren(content.cloneNode(true));
    tip.hidden = false;
    var box = link.getBoundingClientRect();
    var width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - width - 8));
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
    link.setAttribute("aria-describedby", "folio-preview");
    current = link;
  }
  article.querySelectorAll('a[href^="#"]').forEach(function (link) {
    if (link.classList.contains("headerlink") || link.classList.contains("footnote-ref") || link.closest(".footnote, .md-nav")) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target || !(target.tagName === "FIGURE" || /^H[2-4]$/.test(target.tagName))) return;
    var content = null;  // made on first use: a page with many references stays quick to load
    var open = function () {
      content = content || folioPreviewContent(target);
      if (content) show(link, content);
    };
    link.addEventListener("mouseenter", open);
    link.addEventListener("focus", open);
    link.addEventListener("mouseleave", hide);
    link.addEventListener("blur", hide);
    link.addEventListener("click", hide);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
}
document$.subscribe(folioPreviews);

/* The math face is fetched after the page has loaded and applied when it is in (folio.css). */
function folioMathFace() {
  if (!document.querySelector("math") || document.documentElement.hasAttribute("data-folio-math-face")) return;
  var apply = function () { document.documentElement.setAttribute("data-folio-math-face", ""); };
  var load = function () { document.fonts.load('1em "STIX Two Math"', "\u2211").then(apply, apply); };
  if (document.readyState === "complete") load(); else window.addEventListener("load", load, { once: true });
}
document$.subscribe(folioMathFace);

/* The light/dark toggle in the header (Material's palette form, which the loader in main.html
   keeps Material from mounting). Material's header script applies the stored choice before the
   first paint; this shows the toggle for it, switches on click or Enter as Material's does, and
   follows the system in Material's automatic option. Transitions are stopped (Material's
   data-md-color-switching) only while the colours change, not at every load. */
function folioPalette() {
  var form = document.querySelector("form[data-folio-palette]");
  if (!form || form.getAttribute("data-folio-palette") === "on") return;
  form.setAttribute("data-folio-palette", "on");
  var inputs = [].slice.call(form.querySelectorAll("input"));
  var keys = ["media", "scheme", "primary", "accent"];
  var systemIsLight = matchMedia("(prefers-color-scheme: light)");
  var themeColor = document.head.querySelector('meta[name="theme-color"]') ||
    document.head.appendChild(Object.assign(document.createElement("meta"), { name: "theme-color" }));
  function colorOf(input) {
    var source = input;  // the automatic option takes its colours from the system's light or dark option
    if (input.getAttribute("data-md-color-media") === "(prefers-color-scheme)") {
      source = form.querySelector("[data-md-color-media='(prefers-color-scheme: " + (systemIsLight.matches ? "light" : "dark") + ")']") || input;
    }
    var color = {};
    keys.forEach(function (key) { color[key] = (key === "media" ? input : source).getAttribute("data-md-color-" + key); });
    return color;
  }
  function show(index) {
    inputs.forEach(function (input, i) {
      input.checked = i === index;
      if (input.nextElementSibling instanceof HTMLLabelElement) input.nextElementSibling.hidden = i !== index;
    });
    var header = getComputedStyle(document.querySelector("[data-md-component=header]"));  // the browser's toolbar colour
    themeColor.content = "#" + header.backgroundColor.match(/\d+/g).slice(0, 3)
      .map(function (value) { return (+value).toString(16).padStart(2, "0"); }).join("");
  }
  function apply(index) {
    var color = colorOf(inputs[index]);
    document.body.setAttribute("data-md-color-switching", "");
    keys.forEach(function (key) { document.body.setAttribute("data-md-color-" + key, color[key]); });
    __md_set("__palette", { index: index, color: color });
    setTimeout(function () { document.body.removeAttribute("data-md-color-switching"); });
    show(index);
  }
  var stored = __md_get("__palette");
  var index = stored && inputs[stored.index] ? stored.index : Math.max(0, inputs.findIndex(function (input) {
    return matchMedia(input.getAttribute("data-md-color-media")).matches;
  }));
  // The page restyles at load only if what is painted is not the chosen palette (a stored choice
  // whose colours the site has since changed); otherwise the choice is only stored and shown.
  var wanted = colorOf(inputs[index]);
  if (keys.some(function (key) { return document.body.getAttribute("data-md-color-" + key) !== wanted[key]; })) {
    apply(index);
  } else {
    __md_set("__palette", { index: index, color: wanted });
    show(index);
  }
  inputs.forEach(function (input, chosen) {
    input.addEventListener("change", function () { apply(chosen); });
  });
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var next = inputs[(inputs.findIndex(function (input) { return input.checked; }) + 1) % inputs.length];
    event.preventDefault();
    next.click();
    next.focus();
  });
  systemIsLight.addEventListener("change", function () {
    var current = inputs.findIndex(function (input) { return input.checked; });
    if (inputs[current] && inputs[current].getAttribute("data-md-color-media") === "(prefers-color-scheme)") apply(current);
  });
}
document$.subscribe(folioPalette);
