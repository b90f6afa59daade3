/* Rolwijzer: show the route (breadcrumbs, VORIGE / SLUIT / VOLGENDE) of the role the reader came
   from. The role arrives as ?rol=<id> from a role page and is remembered for the session, so it
   also works when the site is opened from disk (file://). */
(function () {
  "use strict";
  function currentRole() {
    var role = null;
    try {
      role = new URLSearchParams(window.location.search).get("rol");
      if (role) { window.sessionStorage.setItem("rw-rol", role); }
      else { role = window.sessionStorage.getItem("rw-rol"); }
    } catch (e) { /* storage may be blocked: fall back to the first route */ }
    return role;
  }
  function showRoute() {
    var groups = document.querySelectorAll(".rw-routes");
    if (!groups.length) { return; }
    var role = currentRole();
    groups.forEach(function (group) {
      var blocks = group.querySelectorAll("[data-role]");
      var match = null;
      blocks.forEach(function (block) { if (block.getAttribute("data-role") === role) { match = block; } });
      if (!match) { match = blocks[0]; }
      blocks.forEach(function (block) { block.hidden = block !== match; });
    });
    document.documentElement.classList.add("rw-js");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", showRoute); }
  else { showRoute(); }
})();

/* Filterable tables ({{ table('id') }}): one <select> per filter column; a row stays when every
   chosen value is among the row's values for that column. */
(function () {
  "use strict";
  function setup(box) {
    var selects = box.querySelectorAll("select[data-column]");
    var rows = box.querySelectorAll("tbody tr");
    var count = box.querySelector(".rw-table__count");
    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = true;
        selects.forEach(function (select) {
          if (!select.value) { return; }
          var cell = row.children[Number(select.getAttribute("data-column"))];
          var values = (cell.getAttribute("data-values") || "").split("|");
          if (values.indexOf(select.value) === -1) { keep = false; }
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      if (count) { count.textContent = shown + " van " + rows.length + " getoond"; }
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    apply();
  }
  function init() { document.querySelectorAll(".rw-table").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();

/* Sector choice (an organisation with school and childcare): the reader picks "onderwijs" or
   "kinderopvang" once; topics, blocks and pages of the other sector are hidden everywhere. */
(function () {
  "use strict";
  var KEY = "rw-sector";
  function chosen() { try { return window.localStorage.getItem(KEY) || ""; } catch (e) { return ""; } }
  function apply() {
    var sector = chosen();
    document.querySelectorAll("[data-sector]").forEach(function (node) {
      var own = node.getAttribute("data-sector");
      node.hidden = Boolean(sector) && own !== sector;
    });
    document.querySelectorAll("[data-choose-sector]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-choose-sector") === sector));
    });
    var page = document.querySelector("[data-page-sector]");
    if (page) {
      var own = page.getAttribute("data-page-sector");
      page.classList.toggle("rw-sector--other", Boolean(sector) && own !== sector);
    }
  }
  function init() {
    document.querySelectorAll("[data-choose-sector]").forEach(function (button) {
      button.addEventListener("click", function () {
        try { window.localStorage.setItem(KEY, button.getAttribute("data-choose-sector")); } catch (e) { /* ignore */ }
        apply();
      });
    });
    apply();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();

/* External links: say so to screen readers too (the arrow is drawn by CSS). */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll('.md-typeset a[href^="http"]').forEach(function (link) {
      if (link.querySelector(".rw-visually-hidden")) { return; }
      var note = document.createElement("span");
      note.className = "rw-visually-hidden";
      note.textContent = " (externe link)";
      link.appendChild(note);
      link.setAttribute("rel", "external noopener");
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); }
  else { mark(); }
})();
