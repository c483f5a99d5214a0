// The export page of a job still being written shows its progress anew every few seconds,
// until the job is finished (the server leaves the marker out then). Without JavaScript the
// page says to reload it.
(function () {
  "use strict";
  var pending = document.querySelector("[data-export-pending]");
  if (!pending) {
    return;
  }
  window.setTimeout(function () {
    window.location.reload();
  }, 5000);
})();
