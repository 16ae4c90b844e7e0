/* Drag and drop for a press kit's parts: a progressive enhancement over the ↑/↓ buttons, which
   keep working (keyboard, phones, no JavaScript). Native HTML5 drag events, no library: a part
   is dragged by its handle, the list reorders as it moves, and on release the new order is
   posted (the same form the server would accept from anyone) and the server's list swapped in.
   On any failure the page is reloaded, so what is shown is always what is stored. */
(function () {
  "use strict";

  function parts(list) {
    return Array.prototype.filter.call(list.children, function (li) {
      return li.hasAttribute("data-part");
    });
  }

  function save(list, form) {
    var data = new FormData(form);
    parts(list).forEach(function (li) { data.append("part", li.getAttribute("data-part")); });
    list.setAttribute("aria-busy", "true");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("kit-parts");
        if (!fresh) { throw new Error("no list in the answer"); }
        list.replaceWith(fresh);
        if (window.htmx) { window.htmx.process(fresh); }
        setup();
      })
      .catch(function () { window.location.reload(); });
  }

  function setup() {
    var list = document.getElementById("kit-parts");
    var form = document.getElementById("kit-order-form");
    if (!list || !form || list.getAttribute("data-sortable") === "on") { return; }
    if (!("draggable" in list) || parts(list).length < 2) { return; }
    list.setAttribute("data-sortable", "on");
    var hint = document.querySelector(".kit-drag-hint");
    if (hint) { hint.hidden = false; }
    var dragged = null;
    var before = "";

    parts(list).forEach(function (li) {
      var handle = li.querySelector(".kit-drag-handle");
      if (!handle) { return; }
      handle.hidden = false;
      // Only the handle starts a drag: the rest of the part keeps its text selectable.
      handle.addEventListener("mousedown", function () { li.draggable = true; });
      handle.addEventListener("mouseup", function () { li.draggable = false; });
    });

    list.addEventListener("dragstart", function (event) {
      var li = event.target.closest ? event.target.closest("li[data-part]") : null;
      if (!li || !li.draggable) { return; }
      dragged = li;
      before = parts(list).map(function (p) { return p.getAttribute("data-part"); }).join(",");
      li.classList.add("kit-part-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", li.getAttribute("data-part"));
    });

    list.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      var over = event.target.closest ? event.target.closest("li[data-part]") : null;
      if (!over || over === dragged || over.parentNode !== list) { return; }
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });

    list.addEventListener("drop", function (event) {
      if (dragged) { event.preventDefault(); }
    });

    list.addEventListener("dragend", function () {
      if (!dragged) { return; }
      dragged.classList.remove("kit-part-dragging");
      dragged.draggable = false;
      dragged = null;
      var after = parts(list).map(function (p) { return p.getAttribute("data-part"); }).join(",");
      if (after !== before) { save(list, form); }
    });
  }

  document.addEventListener("DOMContentLoaded", setup);
  // The ↑/↓ buttons swap the list in place (htmx): set the new one up too.
  document.addEventListener("htmx:afterSettle", setup);
}());
