// One submit per form: a second tap while the first is on its way does nothing.
// Loaded by pages whose forms create a row on each submit (an activity, ...).
document.querySelectorAll("form[method=post]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });
});
