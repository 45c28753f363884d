// Copy buttons for read-only fields: <button data-copy="field-id" hidden>. Without JavaScript
// the buttons stay hidden and the labelled fields can be selected and copied by hand.
(function () {
  "use strict";

  function reveal(root) {
    (root || document).querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function announce(button, message) {
    var status = document.querySelector("[data-copy-status]");
    if (status) {
      status.textContent = message;
      // The button itself says "Copied"; the line is shown only when the reader must act.
      status.classList.toggle("visually-hidden", message === "Copied.");
    }
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = message === "Copied." ? "Copied" : label;
    setTimeout(function () { button.textContent = label; }, 2000);
  }

  function selectAndCopy(field) {
    field.focus();
    field.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var failed = function () {
      announce(button, selectAndCopy(field) ? "Copied." : "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { announce(button, "Copied."); }, failed);
    } else {
      failed();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:load", function (event) { reveal(event.detail.elt); });
})();
