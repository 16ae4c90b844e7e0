from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.releases.models import MediaAsset, ReleaseAttachment
from pressdesk.releases.tests import sample

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_it_attaches_an_image_with_caption_and_credit(
    as_bob: Client, org: Organisation, bob: User, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    release = sample.release(org, bob)
    r = as_bob.post(
        f"/o/acme/releases/{release.pk}/attachments/",
        {
            "file": SimpleUploadedFile("parc.png", PNG, content_type="image/png"),
            "caption": "Le parc vu du ciel",
            "credit": "© Jeanne Martin",
            "alt_text": "Panneaux solaires",
        },
    )
    assert r.status_code == 302
    asset = MediaAsset.objects.for_org(org).get()
    assert (asset.kind, asset.credit, asset.filename) == ("image", "© Jeanne Martin", "parc.png")
    assert "parc" not in asset.file.name  # stored under an unguessable name
    remove = f"/o/acme/releases/{release.pk}/attachments/{asset.pk}/remove/"
    assert as_bob.post(remove).status_code == 302
    assert not ReleaseAttachment.objects.filter(release=release).exists()


def test_an_image_needs_a_description(as_bob: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    as_bob.post(
        f"/o/acme/releases/{release.pk}/attachments/",
        {"file": SimpleUploadedFile("parc.png", PNG, content_type="image/png")},
    )
    assert not MediaAsset.objects.for_org(org).exists()


def test_it_refuses_a_script(as_bob: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    as_bob.post(
        f"/o/acme/releases/{release.pk}/attachments/",
        {"file": SimpleUploadedFile("x.html", b"<script>", content_type="text/html")},
    )
    assert not MediaAsset.objects.for_org(org).exists()


def test_a_viewer_cannot_attach(as_vera: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    r = as_vera.post(
        f"/o/acme/releases/{release.pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")},
    )
    assert r.status_code == 403


def test_an_outsider_gets_404(as_charlie: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    assert as_charlie.post(f"/o/acme/releases/{release.pk}/attachments/").status_code == 404


def test_it_rejects_get(as_bob: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    assert as_bob.get(f"/o/acme/releases/{release.pk}/attachments/").status_code == 405
