"""Markdown becomes HTML once, when a row is saved: markdown-it with raw HTML off, then nh3.

An editor's Markdown field (say `overview`) has a `RenderedMarkdownField` beside it
(`overview_html`) that renders and sanitises it on every save, bulk_create included. Pages show
the stored HTML, so a web worker never loads either library: that is 2.9 MiB of each worker's
memory in `make bench`, and no parsing on a page's first render.

The stored HTML is only ever written here (the field is not editable, and fixtures carry what
this module wrote). Changing the policy below means re-rendering what is stored: add a
migration that runs `rerender(apps, ...)` as careers/migrations/0004 and 0009 do.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )


# The page's template owns h1 and h2, so an editor's "#" and "##" headings (and the
# underlined kinds) become h3, the highest level left to text: kept as headings, in order.
TOP_HEADING = "h3"
PAGE_HEADINGS = {"h1", "h2"}


def render_markdown(text: str) -> SafeString:
    """Return sanitised HTML for Markdown text."""
    import nh3

    parser = _parser()
    tokens = parser.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag in PAGE_HEADINGS:
            token.tag = TOP_HEADING
    html = parser.renderer.render(tokens, parser.options, {})
    # The project's one mark_safe on content: the HTML has just been through nh3.
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )


class RenderedMarkdownField(models.TextField):
    """The HTML of the Markdown in the field named `source`, rendered when the row is saved.

    Read back, the value is a SafeString: templates print it as it is.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, value) == value:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        html = render_markdown(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, html)
        return str(html)

    def from_db_value(self, value, expression, connection):
        return value if value is None else mark_safe(value)


def images_in(text: str) -> list[tuple[str, str]]:
    """The (alt text, address) of each image the Markdown holds: ALLOWED_TAGS has no img, so
    the pages would show neither."""
    return [
        (child.content, child.attrGet("src") or "")
        for token in _parser().parse(text or "")
        if token.type == "inline"
        for child in token.children or ()
        if child.type == "image"
    ]


class RendersMarkdown(models.Model):
    """Saving with update_fields that name a Markdown source saves its HTML too. An image in
    a source is refused at its field: the page would drop it (and its alt text) unseen."""

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = set(update_fields)
            update_fields |= {
                field.name
                for field in self._meta.concrete_fields
                if isinstance(field, RenderedMarkdownField) and field.source in update_fields
            }
        super().save(*args, update_fields=update_fields, **kwargs)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            source = getattr(field, "source", None)
            if not isinstance(field, RenderedMarkdownField) or source in (exclude or ()):
                continue
            if source in errors or not (images := images_in(getattr(self, source))):
                continue
            alt, address = images[0]
            errors[source] = [
                ValidationError(
                    "Pages show no images, so ![%(alt)s](%(address)s) would not appear: "
                    "remove it, or make it a link by dropping the “!”: [%(alt)s](%(address)s).",
                    code="image",
                    params={"alt": alt, "address": address},
                )
            ]
        if errors:
            raise ValidationError(errors)


def rerender(apps, *models_and_fields):
    """For a data migration: render every row's Markdown again, in batches.

    rerender(apps, ("careers", "Career", ["overview_html", "suitability_html"]), ...)
    """
    for app_label, model_name, html_fields in models_and_fields:
        model = apps.get_model(app_label, model_name)
        sources = {name: model._meta.get_field(name).source for name in html_fields}
        batch = []
        for row in model._base_manager.only("pk", *sources.values()).iterator(chunk_size=500):
            for html_name, source in sources.items():
                setattr(row, html_name, str(render_markdown(getattr(row, source))))
            batch.append(row)
            if len(batch) == 500:
                model._base_manager.bulk_update(batch, html_fields)
                batch = []
        if batch:
            model._base_manager.bulk_update(batch, html_fields)
