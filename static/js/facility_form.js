// The facility form narrows its state and district choices on the server. Without JavaScript,
// the person presses "Update choices"; with it, changing the country or the state presses that
// button, which is then hidden. Loaded with `defer`: the form is parsed when this runs.
"use strict";

for (const button of document.querySelectorAll("button[name=_refresh]")) {
  const form = button.form;
  button.hidden = true;
  for (const select of form.querySelectorAll("[data-refresh-choices]")) {
    select.addEventListener("change", () => button.click());
  }
}
