// The /-/map page's time slider: recolours the server-drawn regions with the strongest measure taken by
// the chosen month, from the data the server embedded (JSON, never markup). Without scripts the
// "By" field does the same through the server.
(function () {
  "use strict";
  var dataElement = document.getElementById("banwatch-map-data");
  var slider = document.getElementById("banwatch-month");
  var label = document.getElementById("banwatch-month-label");
  if (!dataElement || !slider) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  var paths = document.querySelectorAll("#banwatch-map path[data-code]");

  function strongest(events, month) {
    var best = -1;
    events.forEach(function (e) {
      if (e[0] && e[0].slice(0, 7) <= month) {
        var rank = data.strength.indexOf(e[1]);
        if (rank >= 0 && (best < 0 || rank < best)) {
          best = rank;
        }
      }
    });
    return best < 0 ? null : data.strength[best];
  }

  function paint() {
    var month = data.months[Number(slider.value)];
    label.textContent = month;
    slider.setAttribute("aria-valuetext", month);
    paths.forEach(function (path) {
      var region = data.regions[path.getAttribute("data-code")];
      if (!region) {
        return;
      }
      var action = strongest(region.events, month);
      var sub = !action && strongest(region.sub, month);
      path.style.fill = action ? data.colors[action] : "";
      path.classList.toggle("banwatch-acted", Boolean(action));
      path.classList.toggle("banwatch-subnational", Boolean(sub));
    });
    var url = new URL(window.location.href);
    url.searchParams.set("until", month);
    window.history.replaceState(null, "", url.toString());
  }

  slider.addEventListener("input", paint);
  document.body.setAttribute("data-map-ready", "1");
})();
