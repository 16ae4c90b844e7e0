// The release editor's live character count (spaces included), with a warning outside the
// one-page range. The server counts the saved text the same way; this only follows the typing.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.release-editor");
  if (!form) { return; }
  const min = Number(form.dataset.charMin), max = Number(form.dataset.charMax);
  const shown = document.querySelector("#char-count [data-count]");
  const warning = document.querySelector("#char-count [data-warning]");
  const fields = ["title", "subtitle", "lead", "body"].map((n) => form.elements.namedItem(n));
  // Markdown marks are not characters of the release: drop them as the server's HTML does.
  const plain = (text) => text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const update = () => {
    const count = fields.filter(Boolean).map((f) => plain(f.value)).filter(Boolean).join(" ").length;
    shown.textContent = String(count);
    const out = count < min || count > max;
    warning.hidden = !out;
    document.getElementById("char-count").classList.toggle("warn", out);
  };
  for (const field of fields) { if (field) { field.addEventListener("input", update); } }
  update();
});
