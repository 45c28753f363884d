// Booking pages only. Everything works without this file: the time-zone form has a button
// and every day or time is a real link. This adds a few conveniences.
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
    // Browsers may report an older name (Asia/Calcutta): the server reads it as today's.
    var listed = select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]');
    if (!listed && !/^(Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[\w\/+-]+$/.test(zone)) return;
    var params = new URLSearchParams(new FormData(form));
    params.set("tz", zone);
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

  // 3. After htmx swaps in what a tap opened (data-arrive="#id" on the link), that element takes
  //    the focus (a screen reader reads it next); if it or data-arrive-until is off screen, as on
  //    a phone, its card scrolls to the top.
  var arriving = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    arriving = event.detail.elt.getAttribute && event.detail.elt.getAttribute("data-arrive");
  });
  document.addEventListener("htmx:afterSettle", function () {
    var target = arriving && document.querySelector(arriving);
    arriving = null;
    if (!target) return;
    var last = document.querySelector(target.getAttribute("data-arrive-until") || null) || target;
    var top = (target.closest(".card") || target).getBoundingClientRect().top;
    if (top < 0 || last.getBoundingClientRect().bottom > innerHeight) {
      var still = matchMedia("(prefers-reduced-motion: reduce)").matches;
      scrollTo({ top: scrollY + top - 8, behavior: still ? "auto" : "smooth" });
    }
    target.focus({ preventScroll: true });
  });

  // 4. Typing narrows the zone list to zones whose text holds every word ("new york", "utc+1");
  //    the first match is chosen and Enter shows its times.
  function plain(text) {
    return text.toLowerCase().replace(/[\u2212\u2013]/g, "-").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function setUpZoneSearch(root) {
    var box = root.querySelector("[data-zone-search]"), select = document.getElementById("tz");
    if (!box || !select || box.hasAttribute("data-ready")) return;
    var input = box.querySelector("input"), count = box.querySelector(".hint"), chosen = select.value;
    box.setAttribute("data-ready", "");
    box.hidden = false;
    var all = Array.prototype.map.call(select.options, function (option) {
      var group = option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
      return { option: option, group: group, text: plain(option.textContent + " " + option.value) };
    });
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (select.value !== chosen) select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    input.addEventListener("input", function () {
      var words = plain(input.value).split(/\s+/).filter(Boolean), groups = {}, shown = 0;
      select.textContent = "";
      all.forEach(function (item) {
        if (!words.every(function (word) { return item.text.indexOf(word) !== -1; })) return;
        if (item.group && !groups[item.group]) {
          groups[item.group] = select.appendChild(document.createElement("optgroup"));
          groups[item.group].label = item.group;
        }
        (groups[item.group] || select).appendChild(item.option);
        shown += 1;
      });
      if (!words.length) select.value = chosen;
      else if (shown) select.selectedIndex = 0;
      count.textContent = !words.length ? "" : shown === 1 ? "1 time zone matches."
        : shown ? shown + " time zones match." : "No time zone matches. Try a city or a country.";
    });
  }
  document.addEventListener("htmx:load", function (event) { setUpZoneSearch(event.detail.elt); });

  function start() {
    setUpZoneSearch(document);
    useBrowserZone();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
