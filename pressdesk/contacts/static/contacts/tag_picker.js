// Tag picker: the browser's own suggestions (a <datalist>) for each tag of a comma-separated
// field, not only the first. Without this script the field still takes tags typed by hand.
(function () {
  "use strict";
  function setUp(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    function fold(text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    }
    function refresh() {
      var parts = input.value.split(",");
      var typing = fold(parts.pop());
      var chosen = parts.map(fold);
      var prefix = parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ");
      prefix = prefix ? prefix + ", " : "";
      var options = document.createDocumentFragment();
      names.forEach(function (name) {
        var key = fold(name);
        if (chosen.indexOf(key) !== -1 || key.indexOf(typing) === -1) return;
        var option = document.createElement("option");
        option.value = prefix + name;
        option.label = name;
        options.appendChild(option);
      });
      list.replaceChildren(options);
    }
    input.addEventListener("input", refresh);
    input.addEventListener("focus", refresh);
  }
  document.querySelectorAll("input[list][data-tag-picker]").forEach(setUp);
})();
