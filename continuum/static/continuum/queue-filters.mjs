// Progressive enhancement for a list's filters in a <details> (data-module="app-filter"):
// open on wider screens, where they sit above the list without pushing it away. Without
// JavaScript the <details> opens and closes by itself ("Show filters").
const wide = window.matchMedia("(min-width: 48.0625em)");
for (const filters of document.querySelectorAll('[data-module="app-filter"]')) {
  if (wide.matches) filters.open = true;
}
