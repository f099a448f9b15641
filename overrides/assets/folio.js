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
