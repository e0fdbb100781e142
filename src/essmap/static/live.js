// Live suggestions for the search box: names as you type, from the JSON API. The page works
// without this script; it only adds links under the box. No data leaves for another site.
(function () {
  "use strict";
  var input = document.querySelector("input[data-live]");
  if (!input || !window.fetch) { return; }
  var list = input.parentNode.querySelector("ul.live");
  var timer = null;
  var asked = 0;
  var lang = document.documentElement.lang || "fr";
  function clear() { list.textContent = ""; list.hidden = true; }
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 3) { clear(); return; }
    timer = window.setTimeout(function () {
      var mine = ++asked;
      fetch(input.dataset.live + "?limit=5&q=" + encodeURIComponent(text), { headers: { "Accept-Language": lang } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          if (mine !== asked) { return; }
          list.textContent = "";
          found.forEach(function (structure) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = "/structures/" + encodeURIComponent(structure.id);
            link.textContent = structure.name;
            item.appendChild(link);
            list.appendChild(item);
          });
          list.hidden = found.length === 0;
        })
        .catch(clear);
    }, 200);
  });
  input.addEventListener("keydown", function (event) { if (event.key === "Escape") { clear(); } });
}());
