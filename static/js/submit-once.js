/* One submit per form: a second tap while the first is on its way does nothing.
   The server recognises a repeated request anyway (the form's idempotency key); this only
   spares the user a second wait. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
    });
  });
})();
