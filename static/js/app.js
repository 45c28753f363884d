// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // With JavaScript, controls that only matter without it (e.g. "Save ticks") step aside.
  document.documentElement.classList.add("js");

  // A toast's own action (e.g. "Undo") closes the toast once it has been sent.
  document.addEventListener("htmx:afterRequest", function (event) {
    var toast = event.detail.elt.closest && event.detail.elt.closest(".toast");
    if (toast && event.detail.successful) toast.remove();
  });

  // CSRF: htmx requests carry the token from <meta name="csrf-token">.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
  });

  // Toasts: dismiss on click, fade out on their own after a while (errors stay).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (button) button.parentElement.remove();
  });
  function ageToasts(root) {
    (root || document).querySelectorAll(".toast:not(.toast-error):not([data-aged])").forEach(function (toast) {
      toast.setAttribute("data-aged", "");
      setTimeout(function () { toast.remove(); }, 8000);
    });
  }

  // Drafts: long text is kept in this browser until its form is sent successfully, so an
  // expired session, a failed request or a closed tab never loses what someone wrote.
  // Keyed by the address the form is shown at (read each time: htmx may have pushed a new one).
  function draftKey(el) { return "draft:" + location.pathname + ":" + (el.getAttribute("data-draft") || el.name); }
  function restoreDrafts(root) {
    (root || document).querySelectorAll("textarea[name]").forEach(function (el) {
      var saved = null;
      try { saved = localStorage.getItem(draftKey(el)); } catch (e) { return; }
      if (saved && !el.value) el.value = saved;
    });
  }
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.tagName !== "TEXTAREA" || !el.name) return;
    try { localStorage.setItem(draftKey(el), el.value); } catch (e) { /* storage full or disabled */ }
  });
  function clearDrafts(form) {
    form.querySelectorAll("textarea[name]").forEach(function (el) {
      try { localStorage.removeItem(draftKey(el)); } catch (e) { /* ignore */ }
    });
  }
  // A successful htmx submit (2xx) clears the form's drafts at once, before its answer is swapped
  // in: an answer that replaces the form would otherwise be refilled from the draft. The form is
  // the request's own element: the events themselves name the swap target, or (once the form is
  // gone) an ancestor. afterRequest covers answers that swap nothing (204).
  function clearIfSaved(event) {
    var source = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
    var form = source && source.closest && source.closest("form");
    var status = event.detail.xhr.status;
    if (form && status >= 200 && status < 300) clearDrafts(form);
  }
  document.addEventListener("htmx:beforeSwap", clearIfSaved);
  document.addEventListener("htmx:afterRequest", clearIfSaved);
  // A plain submit: remember its drafts; the next page decides. A re-rendered form (422) still
  // holds the text, an error page keeps the draft, anything else means it was saved.
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("hx-post")) return;
    var keys = Array.prototype.map.call(event.target.querySelectorAll("textarea[name]"), draftKey);
    try { sessionStorage.setItem("pending-drafts", JSON.stringify(keys)); } catch (e) { /* ignore */ }
  });
  function settlePendingDrafts() {
    var keys;
    try { keys = JSON.parse(sessionStorage.getItem("pending-drafts") || "[]"); sessionStorage.removeItem("pending-drafts"); }
    catch (e) { return; }
    if (!keys.length || document.querySelector(".error-page")) return;
    var stillEditing = {};
    document.querySelectorAll("textarea[name]").forEach(function (el) { if (el.value) stillEditing[draftKey(el)] = true; });
    keys.forEach(function (key) { if (!stillEditing[key]) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } } });
  }

  // The signed-in menu (a <details>): browsers that can't style its closed content open it on
  // wide screens, where CSS shows the links in a row; Escape closes it on small ones.
  function settleNavMenu() {
    var menu = document.querySelector(".nav-menu");
    if (!menu) return;
    var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
    if (!supported && window.matchMedia("(min-width: 64rem)").matches) menu.open = true;
  }
  document.addEventListener("keydown", function (event) {
    var menu = document.querySelector(".nav-menu[open]");
    if (event.key === "Escape" && menu && menu.contains(document.activeElement)) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  function onLoad(root) {
    ageToasts(root);
    restoreDrafts(root);
  }
  document.addEventListener("DOMContentLoaded", function () {
    settlePendingDrafts();
    settleNavMenu();
    onLoad(document);
  });
  document.addEventListener("htmx:load", function (event) { onLoad(event.detail.elt); });
})();
