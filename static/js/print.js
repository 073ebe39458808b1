// Print buttons on printable pages (no inline script, so a strict CSP can be used).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
