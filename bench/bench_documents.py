"""Documents: a release as PDF and DOCX, a press kit as PDF with a table of contents, and the
kit's ZIP streamed (time, and the largest amount of memory held while streaming it).

Baseline: `render_release_html` of the same release (the HTML alone), timed in the same process.
The ZIP holds `--assets` files of `--asset-mb` MB each (random bytes, so deflate cannot shrink
them); its memory figure is tracemalloc's peak while the chunks are consumed and dropped.

`.venv/bin/python bench/bench_documents.py [--repeat 10] [--assets 20] [--asset-mb 2] [--json]`
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc

import harness
from harness import Figure

BODY = (
    "<p>Le parc solaire de Montlouis-sur-Loire produit ses premiers kilowattheures depuis le "
    "2 mars. Ses 18\u00a0000 panneaux fourniront l’électricité de 6\u00a0500 foyers\u00a0!</p>"
    "<h2>Un financement citoyen</h2><ul><li>1\u00a0200 sociétaires</li><li>12 hectares</li></ul>"
) * 3


def measure(repeat: int, assets: int, asset_mb: int) -> list[Figure]:
    """The documents' figures on a fresh SQLite database."""
    db = harness.new_database("sqlite", "pressdesk_bench_documents")
    with harness.django_on(db):
        from django.core.files.base import ContentFile
        from django.test import override_settings

        from pressdesk.releases import exporting, kit_export, kits
        from pressdesk.releases.models import KitItemKind, MediaAsset
        from pressdesk.releases.rendering import render_release_html
        from pressdesk.releases.tests import kits_sample

        org, _user = harness.org_and_user("bench")
        with override_settings(MEDIA_ROOT=str(db.var_dir / "media")):
            release = kits_sample.release(org, body_html=BODY)
            version = release.current_version
            assert version is not None
            baseline = harness.median_ms(lambda: render_release_html(version), 200)
            doc = exporting.release_document(release)
            kit = kits_sample.kit(org)
            kits.add_item(kit, KitItemKind.RELEASE, release=release)
            for n in range(5):
                kits.add_item(kit, KitItemKind.FACT_SHEET, title=f"Fiche {n}", text=BODY[:400])
            parts = kits.kit_parts(kit)
            figures: list[Figure] = []
            for name, call in (
                ("release PDF", lambda: exporting.release_pdf(doc)),
                ("release DOCX", lambda: exporting.release_docx(doc)),
                ("kit PDF (6 parts, with contents)", lambda: kit_export.kit_pdf(kit, parts)),
            ):
                times = harness.time_each([call] * repeat, warmup=1)
                figures.append(
                    Figure(
                        f"{name} median",
                        harness.percentile(times, 50),
                        "ms",
                        baseline,
                        "render_release_html",
                        extra={"p95": harness.percentile(times, 95)},
                    )
                )
            zipped = kits_sample.kit(org)
            for n in range(assets):
                asset = MediaAsset(
                    org=org, kind="document", filename=f"annexe-{n}.pdf", size=asset_mb << 20
                )
                asset.file.save(f"a{n}.pdf", ContentFile(os.urandom(asset_mb << 20)), save=False)
                asset.save()
                kits.add_item(zipped, KitItemKind.ASSET, asset=asset)
            zip_parts = kits.kit_parts(zipped)
            tracemalloc.start()
            started = time.perf_counter()
            total = sum(len(chunk) for chunk in kit_export.zip_chunks(zipped, zip_parts))
            elapsed = (time.perf_counter() - started) * 1000
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            figures.append(
                Figure(
                    f"kit ZIP ({assets} × {asset_mb} MB)",
                    elapsed,
                    "ms",
                    baseline,
                    "render_release_html",
                    extra={"zip_mb": total / 2**20, "peak_mb": peak / 2**20},
                )
            )
            return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--assets", type=int, default=20)
    parser.add_argument("--asset-mb", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    harness.report(measure(args.repeat, args.assets, args.asset_mb), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
