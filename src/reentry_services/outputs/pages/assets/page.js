// Filter the entries by section, audience and text, in the browser; without script all are shown.
(function () {
  var section = document.getElementById("section");
  var audience = document.getElementById("audience");
  var query = document.getElementById("query");
  var count = document.getElementById("count");
  var entries = Array.prototype.slice.call(document.querySelectorAll(".entry"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".section"));
  document.querySelector(".controls").hidden = false;
  function update() {
    var wanted = section.value;
    var who = audience.value;
    var words = query.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry) {
      var text = entry.textContent.toLowerCase();
      var match = (!wanted || entry.dataset.section === wanted) &&
        (!who || entry.dataset.audience.split(" ").indexOf(who) !== -1) &&
        words.every(function (word) { return text.indexOf(word) !== -1; });
      entry.hidden = !match;
      if (match) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = wanted ? group.dataset.section !== wanted
        : ((words.length > 0 || who) && !group.querySelector(".entry:not([hidden])"));
    });
    count.textContent = shown + " / " + entries.length + " 件を表示 (shown)";
  }
  section.addEventListener("change", update);
  audience.addEventListener("change", update);
  query.addEventListener("input", update);
  update();
})();
