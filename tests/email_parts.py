"""An e-mail's HTML part as a mail client shows it: checked against its plain text part, which
it must not contradict (same words, same links) and against what mail clients do to HTML."""

import re
from html.parser import HTMLParser

LINK = re.compile(r"https?://\S+")
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}
# Tags that end a line of text as a reader sees it.
BREAKS = {"p", "br", "td", "tr", "table", "div", "li", "h1", "h2", "h3", "title"}
# Mail clients drop <style>, block what loads from elsewhere and never run scripts.
REFUSED = {"style", "link", "script", "img", "iframe", "object", "embed", "form", "svg"}


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []  # (tag, has its own background colour)
        self.problems = []
        self.tags = []
        self.hrefs = []
        self.title = ""
        self.text = []
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        style = (attrs.get("style") or "").replace(" ", "").lower()
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "a":
            self.hrefs.append(attrs.get("href") or "")
        if any(name.startswith("on") for name in attrs):
            self.problems.append(f"<{tag}> runs a script: {attrs}")
        if "url(" in style or "@import" in style:
            self.problems.append(f"<{tag}> loads from a style: {style}")
        for match in re.finditer(r"(?<![-\w])width:(\d+)px", style):
            if int(match.group(1)) > 320:
                self.problems.append(f"<{tag}> is wider than 320 px: {style}")
        if attrs.get("width", "").isdigit() and int(attrs["width"]) > 320:
            self.problems.append(f"<{tag} width={attrs['width']}> is wider than 320 px")
        backed = any(background for _, background in self.open) or "background-color:" in style
        if re.search(r"(?<![-\w])color:", style) and not backed:
            self.problems.append(f"<{tag}> sets a text colour on the client's own background")
        if tag in BREAKS:
            self.text.append("\n")
        if tag not in VOID:
            self.open.append((tag, "background-color:" in style))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1][0] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1][0] if self.open else None}>")
            return
        self.open.pop()
        if tag in BREAKS:
            self.text.append("\n")

    def handle_data(self, data):
        if any(tag == "title" for tag, _ in self.open):
            self.title += data
        elif any(tag == "body" for tag, _ in self.open):
            self.text.append(data)


def html_part(message) -> str:
    """The message's one HTML alternative, after its plain text body (which stays first)."""
    assert message.content_subtype == "plain"
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    mime = message.message()
    assert mime.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in mime.get_payload()]
    assert parts == ["text/plain", "text/html"]
    return html


def words(text: str) -> str:
    """`text` without its links, its white space collapsed."""
    return " ".join(LINK.sub(" ", text).split())


def read_html(message) -> _Reader:
    """The HTML part, checked as a mail client would receive it; the parsed result."""
    html = html_part(message)
    assert html.startswith("<!DOCTYPE html>")
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.problems == []
    assert reader.open == [], f"never closed: {reader.open}"
    assert reader.html_lang == "en"
    assert " ".join(reader.title.split()) == message.subject
    assert not REFUSED & set(reader.tags), REFUSED & set(reader.tags)
    return reader


def assert_html_says_what_the_text_says(message) -> _Reader:
    """The HTML part is well-formed, fit for a mail client, links exactly where the text part
    does (absolute addresses), and carries every line of the text's words, in any layout."""
    reader = read_html(message)
    text_links = set(LINK.findall(message.body))
    assert text_links
    assert set(reader.hrefs) == text_links
    shown = words("".join(reader.text))
    for line in message.body.splitlines():
        for fragment in LINK.split(line):
            assert words(fragment) in shown, fragment
    return reader
