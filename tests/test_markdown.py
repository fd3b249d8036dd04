"""The markdown filter: whatever an editor types, no active content reaches the page."""

import html
import re
from html.parser import HTMLParser

from django.template import Context, Template
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from careers.templatetags.markdown import render_markdown

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
def test_template_filter_output_is_equally_inert(text):
    rendered = Template("{% load markdown %}{{ text|markdown }}").render(Context({"text": text}))
    assert_inert(rendered)


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


def test_dangerous_links_keep_their_text_but_lose_the_url():
    output = render_markdown("[click me](javascript:alert(1))")
    assert "click me" in output
    assert "javascript" not in output.split("click me")[0].lower()
