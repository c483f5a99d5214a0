// Shows the "Print" button of a printable page and opens the browser's print dialog with it.
// Without JavaScript the button stays hidden and the browser's own Print still works.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
