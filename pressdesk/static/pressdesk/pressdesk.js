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
  // The stylesheet does it with ::details-content; this does it where a browser lacks that.
  if (!CSS.supports("selector(::details-content)")) {
    for (const fold of document.querySelectorAll("details[data-open-wide]")) {
      const wide = window.matchMedia(`(min-width: ${fold.dataset.openWide}px)`);
      const follow = () => { fold.open = wide.matches; };
      follow();
      wide.addEventListener("change", follow);
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
