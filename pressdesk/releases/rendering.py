"""The release as its template lays it out, for every reader: the editor's preview, the review
page, the newsroom and the PDF/DOCX export all call `render_release_html`."""

from __future__ import annotations

from datetime import datetime

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from pressdesk.releases.conventions import about_heading, conventions, notice
from pressdesk.releases.models import ReleaseTemplate, ReleaseVersion


def render_release_html(
    version: ReleaseVersion, *, embargo_notice: bool = False, embargo_until: datetime | None = None
) -> SafeString:
    """One version of a release as an <article>, in the template's order: "Communiqué de presse",
    (embargo notice), dateline, title, subtitle, lead, body, closing mark, "À propos", contact.

    The body, boilerplate and contact block were sanitised at save; the rest is escaped here.
    `embargo_notice` adds the "SOUS EMBARGO JUSQU'AU …" / "Pour diffusion immédiate" line (press
    copies, previews); the newsroom shows a release only once it is public and leaves it out.
    """
    release = version.release
    template = release.template
    rules = conventions(template)
    parts: list[str] = [format_html('<p class="release-kind">{}</p>', rules.kind)]
    if embargo_notice:
        until = embargo_until if embargo_until is not None else release.embargo_until
        parts.append(
            format_html(
                '<p class="release-notice">{}</p>',
                notice(until, release.org.timezone, template),
            )
        )
    run_in = template == ReleaseTemplate.EN
    if version.dateline and not run_in:
        parts.append(format_html('<p class="release-dateline">{}</p>', version.dateline))
    parts.append(format_html('<h1 class="release-title">{}</h1>', version.title))
    if version.subtitle:
        parts.append(format_html('<p class="release-subtitle">{}</p>', version.subtitle))
    if version.lead or (run_in and version.dateline):
        dateline = (
            format_html('<span class="release-dateline">{}</span> ', version.dateline)
            if run_in and version.dateline
            else ""
        )
        parts.append(
            format_html('<p class="release-lead">{}{}</p>', dateline, escape(version.lead))
        )
    parts.append(format_html('<div class="release-body">{}</div>', mark_safe(version.body_html)))
    parts.append(format_html('<p class="release-closing">{}</p>', rules.closing))
    if version.boilerplate_html:
        parts.append(
            format_html(
                '<section class="release-about"><h2>{}</h2>{}</section>',
                about_heading(template, release.org.name),
                mark_safe(version.boilerplate_html),
            )
        )
    if version.contact_block_html:
        parts.append(
            format_html(
                '<section class="release-contact"><h2>{}</h2>{}</section>',
                rules.contact,
                mark_safe(version.contact_block_html),
            )
        )
    return format_html(
        '<article class="release release-{}" lang="{}">{}</article>',
        template,
        rules.language,
        mark_safe("\n".join(parts)),
    )
