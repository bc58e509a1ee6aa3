// The progress page of a check run: poll its JSON progress every 2 seconds and update the
// page; reload once the run is done, so that its checks are listed. All state is in the run's
// row, so a reload shows the same thing. The X-Background-Poll header tells the server (its
// idle-session middleware) that this request is not the user's activity.
(function () {
  "use strict";
  var panel = document.getElementById("run-progress");
  if (!panel || panel.dataset.done === "true") {
    return;
  }
  var url = panel.dataset.progressUrl;
  var INTERVAL = 2000;

  function field(name) {
    return panel.querySelector('[data-field="' + name + '"]');
  }

  function setText(name, value) {
    var element = field(name);
    if (element) {
      element.textContent = String(value);
    }
  }

  function render(data) {
    setText("status_label", data.status_label);
    setText("checked", data.checked);
    setText("total", data.total);
    var bar = field("bar");
    if (bar) {
      bar.max = data.total || 1;
      bar.value = data.checked;
      bar.textContent = data.percent + " %";
    }
    Object.keys(data.counts).forEach(function (status) {
      setText("count-" + status, data.counts[status]);
    });
  }

  function poll() {
    fetch(url, {
      headers: { "X-Background-Poll": "1", Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        render(data);
        if (data.done) {
          window.location.reload();
        } else {
          window.setTimeout(poll, INTERVAL);
        }
      })
      .catch(function () {
        // A lost connection or an expired session: try again later, more slowly.
        window.setTimeout(poll, INTERVAL * 5);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
