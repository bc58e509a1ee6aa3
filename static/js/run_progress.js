// The progress page of a check run: poll its JSON progress every 2 seconds and update the
// page; reload once the run is done, so that its checks are listed; stop once the session has
// ended (a poll redirected to the login page), saying so. All state is in the run's
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

  // The session ended or access was lost (the poll was redirected to the login page, answered
  // with a page instead of JSON, or refused): polling again would never succeed, so stop and
  // ask for a reload instead of retrying forever.
  function Stopped() {}

  function poll() {
    fetch(url, {
      headers: { "X-Background-Poll": "1", Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        var refused = [401, 403, 404].indexOf(response.status) !== -1;
        var page = response.ok && type.indexOf("application/json") !== 0;
        if (response.redirected || refused || page) {
          throw new Stopped();
        }
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
      .catch(function (error) {
        if (error instanceof Stopped) {
          var notice = field("stopped");
          if (notice) {
            notice.hidden = false;
          }
          return;
        }
        // A lost connection or a server error: try again later, more slowly.
        window.setTimeout(poll, INTERVAL * 5);
      });
  }

  window.setTimeout(poll, INTERVAL);
})();
