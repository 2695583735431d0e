/* "Copy the code" buttons of the embed snippets (hidden without JavaScript: the code can
   still be selected in its box). */
(function () {
  "use strict";
  function start() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      const area = document.getElementById(button.dataset.copy);
      if (!area) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        area.select();
        const done = function () { button.textContent = button.dataset.copied; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(area.value).then(done, function () { area.select(); });
        } else if (document.execCommand("copy")) {
          done();
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
