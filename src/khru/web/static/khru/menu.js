// The header's links: one menu button on a phone, simply the links on a wide screen (kept open there).
// Loaded right after the menu, without defer, so a wide screen never paints it closed.
(() => {
  const menu = document.querySelector("[data-menu]");
  const wide = window.matchMedia("(min-width: 601px)");
  const fit = () => { if (menu) menu.open = wide.matches; };
  fit();
  wide.addEventListener("change", fit);
})();
