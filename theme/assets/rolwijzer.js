/* Rolwijzer: show the route (breadcrumbs, VORIGE / SLUIT / VOLGENDE) of the role the reader came
   from. The role arrives as ?rol=<id> from a role page and is remembered for the session, so it
   also works when the site is opened from disk (file://). */
document.documentElement.classList.add("rw-js");  /* CSS shows what needs JavaScript only when it runs */
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
      /* No remembered role: the first route. A remembered role whose route does not hold this page:
         no route at all, rather than another role's breadcrumb and SLUIT. */
      if (!match && !role) { match = blocks[0]; }
      blocks.forEach(function (block) { block.hidden = block !== match; });
    });
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

/* The stappenwijzer (stappenwijzer/<protocol>.html): one question per screen, Ja / Nee / Weet ik
   niet, back, progress; at the end what you do now, whom you call and a summary with date and time
   to print or copy into the dossier. Nothing is stored or sent. Without JavaScript the page shows
   the whole decision as text. */
(function () {
  "use strict";
  function setup(box) {
    var questions = Array.prototype.slice.call(box.querySelectorAll(".rw-wizard__q"));
    var ends = Array.prototype.slice.call(box.querySelectorAll(".rw-wizard__end"));
    var summary = box.querySelector(".rw-wizard__summary");
    var progress = box.querySelector(".rw-wizard__progress");
    if (!questions.length) { return; }
    box.classList.add("rw-wizard--js");
    var history = [];  /* [{screen, question, answer, note}] */
    var current = null;

    function byId(id) { return id ? document.getElementById(id) : null; }
    function show(screen, focus) {
      questions.concat(ends).forEach(function (node) { node.hidden = node !== screen; });
      summary.hidden = !(screen && screen.classList.contains("rw-wizard__end") && !screen.querySelector(".rw-wizard__then a[href^='#q-']"));
      current = screen;
      if (screen.classList.contains("rw-wizard__q")) {
        progress.hidden = false;
        progress.textContent = "Vraag " + screen.getAttribute("data-number") + " van " + questions.length;
      } else {
        progress.hidden = false;
        progress.textContent = "Uitkomst";
      }
      box.querySelectorAll(".rw-wizard__back").forEach(function (button) { button.hidden = history.length === 0; });
      renderSummary();
      if (focus) {
        var heading = screen.querySelector("h2");
        if (heading) { heading.focus(); }
      }
    }
    function renderSummary() {
      var list = summary.querySelector(".rw-wizard__list");
      list.textContent = "";
      history.forEach(function (entry) {
        var li = document.createElement("li");
        li.textContent = entry.question + " " + entry.answer;
        list.appendChild(li);
      });
      var when = summary.querySelector(".rw-wizard__when");
      when.textContent = "Ingevuld op " + new Date().toLocaleString("nl-NL", { dateStyle: "long", timeStyle: "short" }) +
        (current && current.classList.contains("rw-wizard__end") ? ". Uitkomst: " + current.querySelector("h2").textContent : "");
    }
    function answer(question, choice) {
      var label = choice.getAttribute("data-label");
      var text = question.querySelector("h2").textContent;
      history.push({ screen: question, question: text, answer: label });
      var end = byId(choice.getAttribute("data-end"));
      var next = byId(choice.getAttribute("data-next"));
      var note = choice.querySelector(".rw-wizard__text");
      if (end) { show(end, true); return; }
      if (next) {
        var prev = next.querySelector(".rw-wizard__prev");
        if (prev) { prev.remove(); }
        if (note && note.textContent.trim()) {
          prev = document.createElement("div");
          prev.className = "rw-wizard__prev";
          prev.innerHTML = "<p class=\"rw-wizard__prev-title\">Bij je vorige antwoord (" + label + ")</p>" + note.innerHTML;
          next.insertBefore(prev, next.querySelector(".rw-wizard__answers"));
        }
        show(next, true);
      }
    }
    function back() {
      var entry = history.pop();
      if (entry) { show(entry.screen, true); }
    }
    questions.forEach(function (question) {
      var bar = document.createElement("div");
      bar.className = "rw-wizard__buttons";
      bar.setAttribute("role", "group");
      bar.setAttribute("aria-label", "Je antwoord");
      question.querySelectorAll(".rw-wizard__answer").forEach(function (choice) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button rw-wizard__button rw-wizard__button--" + choice.getAttribute("data-answer");
        button.textContent = choice.getAttribute("data-label");
        button.addEventListener("click", function () { answer(question, choice); });
        bar.appendChild(button);
      });
      question.insertBefore(bar, question.querySelector(".rw-wizard__answers"));
    });
    questions.concat(ends).forEach(function (screen) {
      var backButton = document.createElement("button");
      backButton.type = "button";
      backButton.className = "md-button rw-wizard__back";
      backButton.textContent = "Terug";
      backButton.addEventListener("click", back);
      screen.appendChild(backButton);
      screen.querySelectorAll("a[href^='#q-']").forEach(function (link) {
        link.addEventListener("click", function (event) {
          var target = byId(link.getAttribute("href").slice(1));
          if (!target) { return; }
          event.preventDefault();
          history.push({ screen: screen, question: screen.querySelector("h2").textContent, answer: "→ daarna verder met de vragen" });
          show(target, true);
        });
      });
    });
    summary.querySelector("[data-wizard='print']").addEventListener("click", function () { window.print(); });
    summary.querySelector("[data-wizard='restart']").addEventListener("click", function () {
      history = [];
      show(questions[0], true);
    });
    summary.querySelector("[data-wizard='copy']").addEventListener("click", function () {
      var lines = [box.ownerDocument.title, summary.querySelector(".rw-wizard__when").textContent];
      history.forEach(function (entry) { lines.push("- " + entry.question + " " + entry.answer); });
      var text = lines.join("\n");
      var done = summary.querySelector(".rw-wizard__copied");
      function fallback() {
        var area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("aria-label", "Samenvatting om te kopiëren");
        summary.appendChild(area);
        area.select();
        try { document.execCommand("copy"); done.textContent = "Gekopieerd."; }
        catch (e) { done.textContent = "Selecteer de tekst en kopieer hem."; }
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done.textContent = "Gekopieerd."; }, fallback);
      } else { fallback(); }
    });
    show(questions[0], false);
  }
  function init() { document.querySelectorAll(".rw-wizard").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();

/* Fill-in forms (kind: formulier): type the answers on the page, then copy them, print them or,
   when the organisation gives an address, open them in your own mail program (mailto:). Nothing
   is stored or sent by the page itself. */
(function () {
  "use strict";
  function setup(box) {
    var fields = Array.prototype.slice.call(box.querySelectorAll("textarea"));
    var done = box.querySelector(".rw-fill__done");
    function text() {
      var lines = [box.getAttribute("data-title") || document.title,
        new Date().toLocaleString("nl-NL", { dateStyle: "long", timeStyle: "short" }), ""];
      fields.forEach(function (field) {
        var label = box.querySelector("label[for='" + field.id + "']");
        lines.push((label ? label.textContent : field.name) + "\n" + (field.value.trim() || "-") + "\n");
      });
      return lines.join("\n");
    }
    box.querySelector("[data-fill='copy']").addEventListener("click", function () {
      var value = text();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(value).then(function () { done.textContent = "Gekopieerd."; },
          function () { done.textContent = "Kopiëren lukte niet: selecteer de tekst zelf."; });
      } else { done.textContent = "Kopiëren lukte niet: selecteer de tekst zelf."; }
    });
    box.querySelector("[data-fill='print']").addEventListener("click", function () {
      var old = box.querySelector(".rw-fill__print");
      if (old) { old.remove(); }
      var sheet = document.createElement("div");
      sheet.className = "rw-fill__print";
      text().split("\n").forEach(function (line) {
        var p = document.createElement("p");
        p.textContent = line;
        sheet.appendChild(p);
      });
      box.appendChild(sheet);
      window.print();
    });
    var mail = box.querySelector("[data-fill='mail']");
    if (mail) {
      mail.addEventListener("click", function () {
        var subject = encodeURIComponent(box.getAttribute("data-title") || "Melding");
        window.location.href = "mailto:" + box.getAttribute("data-mailto") + "?subject=" + subject + "&body=" + encodeURIComponent(text());
      });
    }
  }
  function init() { document.querySelectorAll(".rw-fill").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
