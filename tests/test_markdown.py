"""Markdown rendered on save: whatever an editor types, no active content reaches the page."""

import html
import re
from html.parser import HTMLParser

from django.apps import apps
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from careers.markdown import render_markdown, rerender
from careers.models import FAQ, Career
from tests.factories import CareerFactory

HOSTILE_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<style>body{display:none}</style>",
    "<iframe src=https://evil.example></iframe>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">raw</a>',
    '<p onclick="alert(1)" style="color:red">hi</p>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](<javascript:alert(1)>)",
    "[click][ref]\n\n[ref]: javascript:alert(1)\n",
    "[vb](vbscript:msgbox(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "`<script>`",
    "```\n<script>alert(1)</script>\n```",
    "> <iframe>quoted</iframe>",
    "| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |",
    '[t](https://ok.example "x onmouseover=alert(1)")',
    "\n\n",
    "**bold** and _em_ ",
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "img"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    handle_startendtag = handle_starttag


def assert_inert(output: str) -> None:
    inspector = _Inspector()
    inspector.feed(output)
    inspector.close()
    assert not FORBIDDEN_TAGS & set(inspector.tags), output
    # Belt and braces: no tag-looking text of those kinds at all, even malformed.
    assert not re.search(r"<\s*/?\s*(script|style|iframe)", output, re.IGNORECASE), output
    for name, value in inspector.attrs:
        assert not name.lower().startswith("on"), output
        assert name.lower() != "style", output
        if name.lower() in {"href", "src", "action", "formaction", "xlink:href"}:
            # Browsers drop whitespace and control characters inside a scheme.
            squashed = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
            assert not squashed.startswith(BAD_SCHEMES), output


markdown_documents = st.lists(
    st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE_FRAGMENTS)), max_size=12
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_documents)
@example("\n".join(HOSTILE_FRAGMENTS))
def test_no_active_content_survives_any_mix_of_text_and_hostile_fragments(text):
    assert_inert(render_markdown(text))


@settings(max_examples=50, deadline=None)
@given(markdown_documents)
def test_the_field_stores_equally_inert_html(text):
    career = Career(overview=text, suitability=text)
    field = Career._meta.get_field("overview_html")
    assert_inert(field.pre_save(career, add=True))
    assert_inert(career.overview_html)


def test_raw_html_is_shown_as_text_not_run():
    output = render_markdown("Hello <script>alert(1)</script>")
    assert "&lt;script&gt;" in output
    assert "<script" not in output


def test_ordinary_markdown_still_renders():
    output = render_markdown(
        "Some **bold**, a [link](https://example.com/a?b=1&c=2) and\n\n- one\n- two"
    )
    assert "<strong>bold</strong>" in output
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">' in (
        output
    )
    assert "<ul>\n<li>one</li>" in output


def test_page_level_headings_are_reserved_for_the_template():
    output = render_markdown("# Big\n\n## Also big\n\n### Small")
    assert "<h1>" not in output
    assert "<h2>" not in output
    assert "<h3>Small</h3>" in output


def test_top_level_headings_become_the_highest_heading_text_may_use():
    output = render_markdown("# Big\n\n## What you will do\n\nSome text.\n\nUnderlined\n---")
    assert output == (
        "<h3>Big</h3>\n<h3>What you will do</h3>\n<p>Some text.</p>\n<h3>Underlined</h3>\n"
    )


def test_a_faq_answer_with_a_heading_shows_it_as_a_heading_on_the_page(client, db):
    career = CareerFactory(status="published")
    FAQ.objects.create(
        career=career, position=1, question="Day?", answer="## What you will do\n\nSome text."
    )
    html = client.get(career.get_absolute_url(), secure=True).content.decode()
    assert re.search(r"<h3>What you will do</h3>\s*<p>Some text.</p>", html)


def test_the_migration_renders_stored_headings_again(db):
    from importlib import import_module

    career = CareerFactory(overview="## Role")
    Career.objects.filter(pk=career.pk).update(overview_html="Role\n")
    import_module(
        "careers.migrations.0009_markdown_top_headings_rerendered"
    ).render_stored_markdown(apps, None)
    career.refresh_from_db()
    assert career.overview_html == "<h3>Role</h3>\n"


def test_dangerous_links_keep_their_text_but_lose_the_url():
    output = render_markdown("[click me](javascript:alert(1))")
    assert "click me" in output
    assert "javascript" not in output.split("click me")[0].lower()


# Stored HTML: rendered on every way a row is written, and shown as it was stored.


def test_saving_renders_the_html_and_a_change_renders_it_again(db):
    career = CareerFactory(overview="Builds **models**.")
    career.refresh_from_db()
    assert career.overview_html == "<p>Builds <strong>models</strong>.</p>\n"
    career.overview = "Ships <script>x</script> _models_."
    career.save(update_fields=["overview"])  # the HTML is saved with its source
    career.refresh_from_db()
    assert career.overview_html == "<p>Ships &lt;script&gt;x&lt;/script&gt; <em>models</em>.</p>\n"


def test_bulk_created_rows_are_rendered_too(db):
    career = CareerFactory()
    FAQ.objects.bulk_create([FAQ(career=career, position=1, question="Q?", answer="*yes*")])
    assert FAQ.objects.get(career=career).answer_html == "<p><em>yes</em></p>\n"


def test_stored_html_reaches_the_page_unescaped_and_the_source_never(client, db):
    career = CareerFactory(
        status="published",
        overview="An **overview** with <b>raw</b> tags.",
        suitability="Suits [readers](https://example.com).",
    )
    FAQ.objects.create(career=career, position=1, question="Hard?", answer="`Quite`.")
    html = client.get(career.get_absolute_url(), secure=True).content.decode()
    assert "<p>An <strong>overview</strong> with &lt;b&gt;raw&lt;/b&gt; tags.</p>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">readers</a>' in html
    assert '<div class="faq-answer prose"><p><code>Quite</code>.</p>' in html
    assert "**overview**" not in html


def test_the_migration_renders_rows_stored_before_the_field_existed(db):
    career = CareerFactory(overview="*old*")
    Career.objects.filter(pk=career.pk).update(overview_html="", suitability_html="")
    rerender(apps, ("careers", "Career", ["overview_html", "suitability_html"]))
    career.refresh_from_db()
    assert career.overview_html == "<p><em>old</em></p>\n"
    assert career.suitability_html == render_markdown(career.suitability)
