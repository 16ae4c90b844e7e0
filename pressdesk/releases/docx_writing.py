"""Word documents (python-docx): a release, and the sanitised HTML of its parts, as paragraphs.

Only what the stored HTML can hold is mapped: headings, paragraphs, bold and italic, lists, quotes,
tables and images. An image is taken only from a `data:` URL (never fetched), like in the PDF.
"""

from __future__ import annotations

import base64
import binascii
from io import BytesIO
from typing import Any

import lxml.html
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from pressdesk.releases.exporting import Brand, Picture, ReleaseDocument

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 3, "h5": 3, "h6": 3}
BLOCKS = {"p", "div", "section", "article", "figure", "blockquote", "ul", "ol", "table", "hr"}
PICTURE_WIDTH = Mm(120)


def new_document(lang: str) -> Any:
    """An empty A4 document in `lang`, with the house margins."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    doc.core_properties.language = lang
    return doc


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def add_masthead(doc: Any, look: Brand) -> None:
    """The logo (when Word can show it) and the organisation's name."""
    if look.logo is not None:
        add_picture(doc, look.logo, width=Mm(45), caption=False)
    run = doc.add_paragraph().add_run(look.name)
    run.bold = True
    run.font.color.rgb = _colour(look.colour)


def add_picture(doc: Any, pic: Picture, width: Any = PICTURE_WIDTH, caption: bool = True) -> bool:
    """The image and its caption line ("caption — credit, rights"); False if Word cannot read it."""
    try:
        doc.add_picture(BytesIO(pic.data), width=width)
    except Exception:
        # SVG, WebP…: Word cannot embed them; the caption still says what was there.
        doc.add_paragraph(f"[{pic.alt or pic.filename}]", style="Caption")
        return False
    if caption:
        words = " — ".join(t for t in (pic.caption, pic.credit, pic.rights) if t)
        if words:
            doc.add_paragraph(words, style="Caption")
    return True


def release_docx(rd: ReleaseDocument) -> bytes:
    """The release in the template's order: heading, notice, dateline, title, lead, body, ###,
    À propos, contact."""
    doc = new_document(rd.lang)
    add_masthead(doc, rd.brand)
    write_release(doc, rd)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def write_release(doc: Any, rd: ReleaseDocument, level: int = 0) -> None:
    """The release's parts into `doc`; `level` shifts its headings (0 for a release on its own)."""
    v = rd.version
    kind = doc.add_paragraph()
    run = kind.add_run(rd.words.heading.upper())
    run.bold = True
    run.font.color.rgb = _colour(rd.brand.colour)
    doc.add_paragraph().add_run(rd.notice).bold = True
    if v.dateline:
        doc.add_paragraph(v.dateline)
    doc.add_heading(v.title, level=1 + level)
    if v.subtitle:
        doc.add_paragraph(v.subtitle, style="Subtitle")
    if v.lead:
        doc.add_paragraph().add_run(v.lead).bold = True
    add_html(doc, v.body_html, level)
    for pic in rd.pictures:
        add_picture(doc, pic)
    closing = doc.add_paragraph(rd.words.closing)
    closing.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if v.boilerplate_html:
        doc.add_heading(rd.about_title, level=2 + level)
        add_html(doc, v.boilerplate_html, level)
    if v.contact_block_html:
        doc.add_heading(rd.words.contact, level=2 + level)
        add_html(doc, v.contact_block_html, level)


def add_html(doc: Any, html: str, level: int = 0) -> None:
    """Sanitised HTML as Word paragraphs."""
    if not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _blocks(doc, root, level)


def _blocks(doc: Any, parent: HtmlElement, level: int) -> None:
    loose: Paragraph | None = None  # inline content between blocks goes into one paragraph
    if parent.text and parent.text.strip():
        loose = doc.add_paragraph()
        _text(loose, parent.text, {})
    for el in parent:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in HEADINGS:
            doc.add_heading(el.text_content().strip(), level=min(HEADINGS[tag] + level, 9))
            loose = None
        elif tag in ("ul", "ol"):
            _list(doc, el, tag, 1)
            loose = None
        elif tag == "blockquote":
            quote = doc.add_paragraph(style="Quote")
            _inline(doc, quote, el, {})
            loose = None
        elif tag == "table":
            _table(doc, el)
            loose = None
        elif tag == "img":
            _image(doc, el, "")
            loose = None
        elif tag == "figure":
            img = el.find(".//img")
            cap = el.find(".//figcaption")
            if img is not None:
                _image(doc, img, cap.text_content().strip() if cap is not None else "")
            loose = None
        elif tag in ("div", "section", "article"):
            _blocks(doc, el, level)
            loose = None
        elif tag == "p":
            para = doc.add_paragraph()
            _inline(doc, para, el, {})
            loose = None
        elif tag == "hr" or not tag:
            loose = None
        else:
            if loose is None:
                loose = doc.add_paragraph()
            _inline_element(doc, loose, el, {})
        if el.tail and el.tail.strip():
            if loose is None:
                loose = doc.add_paragraph()
            _text(loose, el.tail, {})


def _list(doc: Any, el: HtmlElement, tag: str, depth: int) -> None:
    style = ("List Bullet" if tag == "ul" else "List Number") + (f" {depth}" if depth > 1 else "")
    for li in el.findall("li"):
        para = doc.add_paragraph(style=style)
        nested = []
        if li.text:
            _text(para, li.text, {})
        for child in li:
            if child.tag in ("ul", "ol"):
                nested.append(child)
            else:
                _inline_element(doc, para, child, {})
            if child.tail:
                _text(para, child.tail, {})
        for sub in nested:
            _list(doc, sub, sub.tag, min(depth + 1, 3))


def _table(doc: Any, el: HtmlElement) -> None:
    rows = el.findall(".//tr")
    width = max((len(r.findall("./th") + r.findall("./td")) for r in rows), default=0)
    if not rows or not width:
        return
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row.findall("./th") + row.findall("./td")):
            table.cell(i, j).text = cell.text_content().strip()


def _inline(doc: Any, para: Paragraph, el: HtmlElement, fmt: dict[str, bool]) -> None:
    if el.text:
        _text(para, el.text, fmt)
    for child in el:
        _inline_element(doc, para, child, fmt)
        if child.tail:
            _text(para, child.tail, fmt)


def _inline_element(doc: Any, para: Paragraph, el: HtmlElement, fmt: dict[str, bool]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        para.add_run().add_break()
        return
    if tag == "img":
        _image(doc, el, "")
        return
    inner = dict(fmt)
    if tag in ("strong", "b"):
        inner["bold"] = True
    elif tag in ("em", "i", "cite"):
        inner["italic"] = True
    elif tag == "u":
        inner["underline"] = True
    _inline(doc, para, el, inner)


def _text(para: Paragraph, text: str, fmt: dict[str, bool]) -> None:
    # Whitespace from the HTML's layout collapses; no-break spaces (French typography) stay.
    collapsed = " ".join(text.replace("\n", " ").split(" "))
    run = para.add_run(collapsed)
    run.bold = fmt.get("bold") or None
    run.italic = fmt.get("italic") or None
    run.underline = fmt.get("underline") or None


def _image(doc: Any, img: HtmlElement, caption: str) -> None:
    """An inline image, from a data: URL only; any other address is left out, as in the PDF."""
    src = img.get("src", "")
    if not src.startswith("data:") or ";base64," not in src:
        return
    head, _, payload = src.partition(";base64,")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return
    add_picture(doc, Picture(data, head[5:], "", caption=caption, alt=img.get("alt", "")))
