// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons that ask for confirmation before a destructive POST.
  document.body.addEventListener("submit", (event) => {
    const form = event.target;
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // Folding menus and drawers (<details data-open-wide="801">) are always open from that width up.
  // The stylesheet shows them with ::details-content even without this; opening them for real
  // also tells assistive technologies, and covers browsers without ::details-content.
  for (const fold of document.querySelectorAll("details[data-open-wide]")) {
    const wide = window.matchMedia(`(min-width: ${fold.dataset.openWide}px)`);
    const follow = () => { if (wide.matches) { fold.open = true; } };
    follow();
    wide.addEventListener("change", () => { fold.open = wide.matches; });
  }
  // Tabs that scroll sideways on a phone: bring the current one into view.
  for (const current of document.querySelectorAll(".subnav [aria-current=page]")) {
    const tabs = current.parentElement;
    if (tabs.scrollWidth > tabs.clientWidth) {
      const tab = current.getBoundingClientRect();
      const strip = tabs.getBoundingClientRect();
      tabs.scrollLeft += tab.left - strip.left - (strip.width - tab.width) / 2;
    }
  }
  // htmx needs the CSRF token on its POSTs.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
});
