// Booking pages only. Everything works without this file: the time-zone form has a button
// and every day or time is a real link. This adds two conveniences.
(function () {
  "use strict";

  // 1. Show times in the visitor's own zone from the first view. The server cannot know it,
  //    so when the address names no zone, ask the browser and load the picker in it.
  function useBrowserZone() {
    var form = document.querySelector("[data-zone-form]");
    if (!form || new URLSearchParams(location.search).has("tz")) return;
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    var select = form.querySelector("select[name=tz]");
    if (!zone || !select || select.value === zone) return;
    if (!select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) return;
    select.value = zone;
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action") + "?" + params.toString();
    if (window.htmx) {
      history.replaceState(history.state, "", url);
      window.htmx.ajax("GET", url, { target: "#booking-step", swap: "outerHTML" });
    } else {
      location.replace(url);
    }
  }

  // 2. The day links swap only the slot list: move the "selected" mark in the month to match,
  //    and keep the zone form's hidden date in step, so changing the zone keeps the day.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-day]");
    if (!link) return;
    var table = link.closest("table");
    table.querySelectorAll("[aria-current]").forEach(function (el) { el.removeAttribute("aria-current"); });
    table.querySelectorAll(".day-selected").forEach(function (el) { el.classList.remove("day-selected"); });
    link.setAttribute("aria-current", "date");
    link.parentElement.classList.add("day-selected");
    var day = new URL(link.href, location.href).searchParams.get("date");
    var form = document.querySelector("[data-zone-form]");
    var hidden = form && form.querySelector("input[name=date], input[name=month]");
    if (hidden && day) { hidden.name = "date"; hidden.value = day; }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", useBrowserZone);
  } else {
    useBrowserZone();
  }
})();
