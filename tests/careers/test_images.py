"""Logo uploads: every hostile file is refused with a form error, real logos come out clean.

The files are built here, byte for byte, rather than stored: each one is the smallest
thing that reproduces a case Django's stock ImageField was measured to accept.
"""

import functools
import io
import os
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from careers.images import LOGO_SIZE, MAX_BYTES, monogram_initials, monogram_png, process_logo
from careers.models import Employer
from tests.factories import EmployerFactory, HiringFactory

GPS_LATITUDE = (51.0, 30.0, 12.5)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@functools.cache
def bomb_png(side: int = 9487) -> bytes:
    """A 1-bit black PNG of side x side pixels (90 Mpx at 9487) that weighs about 11 KB."""
    row = b"\x00" + bytes((side + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def image_bytes(fmt: str, size=(120, 80), mode="RGB", **save_kwargs) -> bytes:
    image = Image.new(mode, size, "#3366cc" if mode != "1" else 1)
    out = io.BytesIO()
    image.save(out, format=fmt, **save_kwargs)
    return out.getvalue()


@functools.cache
def noise_png(side: int) -> bytes:
    """Incompressible pixels: a PNG that stays large on disk."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def png_with_icc_and_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-comment")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return image_bytes("PNG", size=(300, 100), icc_profile=icc, pnginfo=info)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    data = image_bytes("JPEG", size=(640, 480), exif=exif)
    with Image.open(io.BytesIO(data)) as check:  # the upload really carries a location
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude]
    return data


HOSTILE = {
    # name: (file name, bytes builder, words the error must contain)
    "90-megapixel PNG bomb": ("logo.png", bomb_png, "too many pixels"),
    "GIF with HTML appended": (
        "logo.gif",
        lambda: image_bytes("GIF") + b"<html><script>alert(1)</script></html>",
        "this file is a GIF image",
    ),
    "JPEG named .png": (
        "logo.png",
        lambda: image_bytes("JPEG"),
        "named .png but contains a JPEG image",
    ),
    "TIFF": ("logo.tiff", lambda: image_bytes("TIFF"), "this file is a TIFF image"),
    "EPS": (
        "logo.eps",
        lambda: b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
        "PostScript/EPS",
    ),
    "text named .png": ("logo.png", lambda: b"just some words, not pixels\n" * 20, "not an image"),
    "truncated PNG": (
        "logo.png",
        lambda: noise_png(200)[:20_000],
        "truncated or damaged",
    ),
    "over 2 MiB": ("logo.png", lambda: noise_png(1000), "at most 2 MiB"),
    "2000 x 3 strip": ("wide.png", lambda: image_bytes("PNG", size=(2000, 3)), "too thin"),
    "1 x 600 strip": ("tall.png", lambda: image_bytes("PNG", size=(1, 600)), "too thin"),
    # A favicon-sized mark was blown up to the 256-pixel square, a blur on every page.
    "10 x 10 icon": ("icon.png", lambda: image_bytes("PNG", size=(10, 10)), "at least 48 pixels"),
}

LEGITIMATE = {
    "wide wordmark": ("wordmark.png", lambda: image_bytes("PNG", size=(2000, 5))),
    "PNG with ICC profile and text": ("brand.png", png_with_icc_and_text),
    "JPEG with GPS EXIF": ("photo.jpg", jpeg_with_gps),
    "WebP": ("mark.webp", lambda: image_bytes("WEBP", size=(64, 64), mode="RGBA")),
}


def test_the_bomb_is_small_on_disk_and_pillow_only_warns_about_it():
    data = bomb_png()
    assert len(data) < 16_000
    # Left alone, Pillow opens it with a mere warning: hence the validator's own checks.
    with pytest.warns(Image.DecompressionBombWarning), Image.open(io.BytesIO(data)) as image:
        assert image.size[0] * image.size[1] > 90_000_000


def test_the_oversize_file_is_a_real_image_over_the_limit():
    data = noise_png(1000)
    assert len(data) > MAX_BYTES
    with Image.open(io.BytesIO(data)) as image:
        image.load()


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_process_logo_refuses_hostile_file(case):
    filename, build, words = HOSTILE[case]
    with pytest.raises(ValidationError) as excinfo:
        process_logo(SimpleUploadedFile(filename, build()))
    assert words.lower() in " ".join(excinfo.value.messages).lower()


def test_image_over_the_pixel_cap_but_under_pillows_is_refused_with_its_size():
    upload = SimpleUploadedFile("wide.png", image_bytes("PNG", size=(5000, 4000), mode="1"))
    with pytest.raises(ValidationError) as excinfo:
        process_logo(upload)
    assert "5000 x 4000 pixels (20.0 megapixels)" in excinfo.value.messages[0]


def test_size_is_checked_before_any_decoding(monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("Pillow was asked to open an oversize file")

    monkeypatch.setattr(Image, "open", no_decoding)
    upload = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + bytes(MAX_BYTES))
    with pytest.raises(ValidationError, match="at most 2 MiB"):
        process_logo(upload)


def test_pillows_bomb_warning_alone_refuses_the_bomb(monkeypatch):
    # Even with our own pixel cap lifted, Pillow's warning is raised as a refusal.
    monkeypatch.setattr("careers.images.MAX_PIXELS", 10**12)
    with pytest.raises(ValidationError, match="too many pixels"):
        process_logo(SimpleUploadedFile("logo.png", bomb_png()))


@pytest.mark.parametrize(
    ("filename", "fmt", "accepted"),
    [
        ("LOGO.PNG", "PNG", True),
        ("logo.jpeg", "JPEG", True),
        ("logo.JPG", "JPEG", True),
        ("logo.webp", "WEBP", True),
        ("logo.webp", "PNG", False),
        ("logo.jpg", "WEBP", False),
        ("logo.png.exe", "PNG", False),
    ],
)
def test_extension_must_agree_with_content(filename, fmt, accepted):
    upload = SimpleUploadedFile(filename, image_bytes(fmt))
    if accepted:
        assert process_logo(upload).name.endswith(".png")
    else:
        with pytest.raises(ValidationError):
            process_logo(upload)


def test_name_with_an_unaccepted_extension_is_refused_even_for_a_real_png():
    with pytest.raises(ValidationError, match=r"\.svg"):
        process_logo(SimpleUploadedFile("logo.svg", image_bytes("PNG")))


def test_logo_without_extension_is_judged_by_content():
    assert process_logo(SimpleUploadedFile("logo", image_bytes("PNG"))).name.endswith(".png")


def _assert_clean_logo(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (LOGO_SIZE, LOGO_SIZE)
        assert "exif" not in image.info
        assert "icc_profile" not in image.info
        assert "Comment" not in image.info
        assert len(image.getexif()) == 0
    assert b"SecretCam" not in data
    assert b"secret-comment" not in data


@pytest.mark.parametrize("case", list(LEGITIMATE), ids=list(LEGITIMATE))
def test_process_logo_reencodes_legitimate_image_without_metadata(case):
    filename, build = LEGITIMATE[case]
    result = process_logo(SimpleUploadedFile(filename, build()))
    assert re.fullmatch(r"[0-9a-f]{32}\.png", result.name)
    _assert_clean_logo(result.read())


# Through the admin form, as an editor would meet it.


def _employer_post(client, url, filename, data, **fields):
    payload = {
        "name": "Acme Robotics",
        "slug": "acme-robotics",
        "website": "https://acme.example",
        "description": "Builds robots.",
        **fields,
        "logo": SimpleUploadedFile(filename, data),
    }
    return client.post(url, payload)


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_admin_refuses_hostile_logo_with_a_form_error_and_saves_nothing(
    client_as_staff, settings, case
):
    filename, build, words = HOSTILE[case]
    response = _employer_post(
        client_as_staff, reverse("admin:careers_employer_add"), filename, build()
    )
    assert response.status_code == 200  # the form comes back, no redirect
    errors = response.context["adminform"].form.errors["logo"]
    assert words.lower() in " ".join(errors).lower()
    assert words.lower() in response.content.decode().lower()
    assert not Employer.objects.exists()
    assert not (settings.MEDIA_ROOT / "logos").exists()


def test_admin_keeps_the_old_logo_when_a_replacement_is_refused(client_as_staff, settings):
    employer = EmployerFactory(name="Acme Robotics", slug="acme-robotics")
    url = reverse("admin:careers_employer_change", args=[employer.pk])
    response = _employer_post(client_as_staff, url, "good.png", image_bytes("PNG"))
    assert response.status_code == 302
    employer.refresh_from_db()
    first = employer.logo.name

    response = _employer_post(client_as_staff, url, "evil.png", image_bytes("JPEG"))
    assert response.status_code == 200
    employer.refresh_from_db()
    assert employer.logo.name == first


@pytest.mark.parametrize("case", list(LEGITIMATE), ids=list(LEGITIMATE))
def test_admin_accepts_legitimate_logo_stored_clean_under_a_generated_name(client_as_staff, case):
    filename, build = LEGITIMATE[case]
    response = _employer_post(
        client_as_staff, reverse("admin:careers_employer_add"), filename, build()
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    employer = Employer.objects.get(slug="acme-robotics")
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", employer.logo.name)
    assert filename.split(".")[0] not in employer.logo.name
    with employer.logo.open("rb") as stored:
        _assert_clean_logo(stored.read())


def test_an_uploaded_logo_is_served_to_visitors_and_kept_by_browsers(client_as_staff, client):
    # DEBUG is off here, as in production: the app serves MEDIA_ROOT (SERVE_MEDIA).
    _employer_post(
        client_as_staff, reverse("admin:careers_employer_add"), "a.png", image_bytes("PNG")
    )
    employer = Employer.objects.get(slug="acme-robotics")
    page = client.get(employer.get_absolute_url()).content.decode()
    assert f'src="{employer.logo.url}"' in page
    response = client.get(employer.logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    with employer.logo.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()
    head = client.head(employer.logo.url)
    assert head.status_code == 200 and head["Content-Length"] == response["Content-Length"]
    assert b"".join(head.streaming_content) == b""


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/media/logos/missing.png", 404),
        ("/media/logos/", 404),  # no folder listings
        ("/media/../pyproject.toml", 400),  # Django's safe_join refuses to leave MEDIA_ROOT
        ("/media/%2e%2e/manage.py", 400),
        ("/media/logos/%2e%2e/%2e%2e/manage.py", 400),
    ],
)
def test_media_outside_the_uploads_or_missing_is_refused(client, path, status, db):
    assert client.get(path).status_code == status


def test_provider_logo_goes_through_the_same_validator(client_as_staff):
    response = client_as_staff.post(
        reverse("admin:certifications_provider_add"),
        {
            "name": "Example Cloud",
            "slug": "example-cloud",
            "logo": SimpleUploadedFile("logo.png", image_bytes("JPEG")),
        },
    )
    assert response.status_code == 200
    assert "named .png but contains a JPEG image" in response.content.decode()


def _stored(employer):
    employer.refresh_from_db()
    return employer.logo.name


def test_replacing_clearing_and_deleting_a_logo_removes_the_old_files(
    client_as_staff, django_capture_on_commit_callbacks
):
    employer = EmployerFactory(name="Acme Robotics", slug="acme-robotics")
    url = reverse("admin:careers_employer_change", args=[employer.pk])
    storage = employer.logo.storage
    with django_capture_on_commit_callbacks(execute=True):
        _employer_post(client_as_staff, url, "one.png", image_bytes("PNG"))
    first = _stored(employer)
    with django_capture_on_commit_callbacks(execute=True):
        _employer_post(client_as_staff, url, "two.webp", image_bytes("WEBP"))
    second = _stored(employer)
    assert second != first
    assert storage.exists(second)
    assert not storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        response = _employer_post(client_as_staff, url, "evil.png", image_bytes("JPEG"))
    assert response.status_code == 200
    assert storage.exists(second)  # a refused upload touches nothing

    with django_capture_on_commit_callbacks(execute=True):
        client_as_staff.post(
            url,
            {"name": "Acme Robotics", "slug": "acme-robotics", "logo-clear": "on"},
        )
    assert _stored(employer) == ""
    assert not storage.exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        _employer_post(client_as_staff, url, "three.png", image_bytes("PNG"))
    third = _stored(employer)
    delete_url = reverse("admin:careers_employer_delete", args=[employer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_as_staff.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Employer.objects.exists()
    assert not storage.exists(third)


def test_phone_photo_is_turned_upright_before_its_exif_is_dropped():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90 clockwise to display"
    landscape = image_bytes("JPEG", size=(200, 100), exif=exif)
    result = process_logo(SimpleUploadedFile("phone.jpg", landscape))
    with Image.open(result) as image:
        # Displayed upright it is portrait: transparent margins left and right, not top.
        assert image.getpixel((10, LOGO_SIZE // 2))[3] == 0
        assert image.getpixel((LOGO_SIZE // 2, 10))[3] == 255


# Monograms for employers without a logo.


def test_monogram_initials_come_from_the_first_two_words():
    assert monogram_initials("Google DeepMind") == "GD"
    assert monogram_initials("NVIDIA") == "N"
    assert monogram_initials("Procter & Gamble") == "PG"
    assert monogram_initials("  ") == "?"


def test_monogram_is_a_square_png_and_stable_for_a_name():
    first = monogram_png("Acme Robotics")
    assert first == monogram_png("Acme Robotics")
    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.size) == ("PNG", (128, 128))


def test_employer_without_logo_shows_the_monogram(client, db):
    employer = EmployerFactory(name="Acme Robotics", slug="acme-robotics")
    path = reverse("employers:monogram", kwargs={"slug": "acme-robotics"})
    assert employer.logo_url.startswith(f"{path}?v=")
    response = client.get(employer.logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("rows", [0, 10])
def test_a_monogram_costs_one_query_however_many_rows(client, db, django_assert_num_queries, rows):
    employer = EmployerFactory(name="Acme Robotics")
    for _ in range(rows):
        HiringFactory(employer=employer)
        EmployerFactory()
    # 1 the employer's name by its slug (the letters drawn)
    with django_assert_num_queries(1):
        response = client.get(employer.logo_url)
    assert response.content.startswith(b"\x89PNG")


def test_an_uploaded_logo_is_served_without_a_query(
    client, db, settings, django_assert_num_queries
):
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "a.png").write_bytes(image_bytes("PNG"))
    # A file of MEDIA_ROOT, named by its address: no table is read.
    with django_assert_num_queries(0):
        response = client.get(settings.MEDIA_URL + "logos/a.png")
        assert b"".join(response.streaming_content) == image_bytes("PNG")


def test_monogram_of_unknown_employer_is_404(client, db):
    response = client.get(reverse("employers:monogram", kwargs={"slug": "nobody"}))
    assert response.status_code == 404


def test_logos_on_another_storage_are_saved_there_and_linked_at_its_address(
    client_as_staff, client, settings
):
    # What MEDIA_STORAGE / MEDIA_STORAGE_OPTIONS / MEDIA_URL configure for object storage.
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"base_url": "https://media.example.org/"},
        },
    }
    _employer_post(
        client_as_staff, reverse("admin:careers_employer_add"), "a.png", image_bytes("PNG")
    )
    employer = Employer.objects.get(slug="acme-robotics")

    assert storages["default"].exists(employer.logo.name)
    assert not (settings.MEDIA_ROOT / employer.logo.name).exists()
    assert employer.logo.url == f"https://media.example.org/{employer.logo.name}"
    assert f'src="{employer.logo.url}"' in client.get(employer.get_absolute_url()).content.decode()


def test_deleting_employers_from_the_list_removes_their_logo_files(
    client_as_staff, django_capture_on_commit_callbacks
):
    names = []
    for n, kind in enumerate(("PNG", "WEBP")):
        employer = EmployerFactory(name=f"Acme {n}", slug=f"acme-{n}")
        url = reverse("admin:careers_employer_change", args=[employer.pk])
        with django_capture_on_commit_callbacks(execute=True):
            _employer_post(
                client_as_staff,
                url,
                f"logo.{kind.lower()}",
                image_bytes(kind),
                name=employer.name,
                slug=employer.slug,
            )
        names.append(_stored(employer))
    kept = EmployerFactory(name="Kept", slug="kept")
    storage = kept.logo.storage
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as_staff.post(
            reverse("admin:careers_employer_changelist"),
            {
                "action": "delete_selected",
                "post": "yes",
                "_selected_action": list(
                    Employer.objects.exclude(pk=kept.pk).values_list("pk", flat=True)
                ),
            },
        )
    assert response.status_code == 302
    assert list(Employer.objects.all()) == [kept]
    assert not any(storage.exists(name) for name in names)


def test_provider_logo_too_thin_to_show_is_refused_with_a_message(client_as_staff):
    response = client_as_staff.post(
        reverse("admin:certifications_provider_add"),
        {
            "name": "Example Cloud",
            "slug": "example-cloud",
            "logo": SimpleUploadedFile("tall.png", image_bytes("PNG", size=(1, 600))),
        },
    )
    assert response.status_code == 200
    assert "The image is 1 x 600 pixels: too thin a strip" in response.content.decode()


def test_a_logo_with_a_very_long_file_name_is_stored_under_a_generated_name(client_as_staff):
    filename = "x" * 251 + ".png"
    response = _employer_post(
        client_as_staff, reverse("admin:careers_employer_add"), filename, image_bytes("PNG")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    employer = Employer.objects.get(slug="acme-robotics")
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", employer.logo.name)


def test_a_renamed_employers_page_shows_its_new_monogram_at_once(client, db):
    employer = EmployerFactory(name="Amazon", slug="amazon")
    before = employer.monogram_url
    assert f'src="{before}"' in client.get(employer.get_absolute_url()).content.decode()
    employer.name = "Zeta Corp"
    employer.save()
    page = client.get(employer.get_absolute_url()).content.decode()
    assert before not in page  # a browser's day-old copy of the "A" is not asked for
    assert f'src="{employer.monogram_url}"' in page
    monogram = client.get(employer.monogram_url)
    assert monogram.content == monogram_png("Zeta Corp")


@pytest.mark.parametrize(
    ("name", "initials"), [("Électricité de France", "ÉD"), ("Яндекс", "Я"), ("Acme", "A")]
)
def test_a_monogram_draws_initials_beyond_ascii_letter_for_letter(
    client, db, drawn_texts, name, initials
):
    employer = EmployerFactory(name=name)
    assert client.get(employer.logo_url).status_code == 200
    [drawn] = drawn_texts
    assert (drawn.text, drawn.boxes) == (initials, [])


def test_an_upload_too_large_to_send_is_refused_unread_with_a_page_saying_nothing_was_saved(
    client_as_staff, settings, monkeypatch
):
    # Django writes an upload to a temporary file as it arrives, whatever its size; a body
    # over the limit must be answered before any of it is parsed.
    def parse(*args, **kwargs):
        raise AssertionError("the body was read")

    monkeypatch.setattr("django.http.multipartparser.MultiPartParser.parse", parse)
    response = _employer_post(
        client_as_staff,
        reverse("admin:careers_employer_add"),
        "huge.png",
        bytes(settings.MAX_REQUEST_BYTES),
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "That was too large to send" in page
    assert "3.0\xa0MB" in page and "nothing was saved" in page
    assert "Content-Security-Policy" in response.headers
    assert not Employer.objects.exists()


def test_a_largest_logo_with_its_form_still_fits_under_the_body_limit(client_as_staff, settings):
    data = noise_png(1000)  # 2.9 MB: over the 2 MiB a logo may be, so the form says so
    assert len(data) > MAX_BYTES
    response = _employer_post(
        client_as_staff, reverse("admin:careers_employer_add"), "logo.png", data
    )
    assert response.status_code == 200
    assert "at most 2 MiB" in response.content.decode()


@pytest.mark.parametrize("length", ["", "-1", "lots", "10"])
def test_a_body_length_that_is_no_number_or_small_is_left_to_the_page(client, db, length):
    response = client.get(reverse("home"), CONTENT_LENGTH=length)
    assert response.status_code == 200


def test_a_visitor_posting_a_huge_body_to_sign_in_gets_the_413_page(client, db, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = client.post(reverse("account_login"), {"login": "a@example.com", "x": "y" * 2000})
    assert response.status_code == 413
    assert "at most 1000\xa0bytes" in response.content.decode()
