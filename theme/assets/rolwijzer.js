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
