"""Career page helpers: salary chart geometry and the data of the page's JSON-LD.

Both work only on what the view already evaluated; neither touches the database.
"""

from django import template
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from careerportal.urlcache import reverse_plain
from careers.money import format_money
from careers.templatetags.jsonld import breadcrumb_list

register = template.Library()

# Salary chart geometry, in SVG user units (the SVG scales to its container).
CHART_WIDTH = 320
CHART_HEIGHT = 210
CHART_TOP = 30  # room for the value label above the tallest bar
CHART_BOTTOM = 28  # room for the level labels
CHART_SIDE = 6
BAR_SHARE = 0.62  # share of each level's slot the bar fills


def chart_geometry(country, levels, chart_id) -> dict:
    """One bar per level for one country, bars from zero, P25-P75 as a whisker.

    Each country gets its own chart and scale because currencies differ: bar heights compare
    levels within a country, never amounts across currencies.
    """
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_TOP + plot_height
    slot = (CHART_WIDTH - 2 * CHART_SIDE) / max(len(levels), 1)
    bar_width = slot * BAR_SHARE
    top_value = max((f.p75 or f.median) for f in country.figures)

    def y(value):
        return round(baseline - value / top_value * plot_height, 1)

    bars = []
    for index, (level, label) in enumerate(levels):
        centre = CHART_SIDE + slot * index + slot / 2
        figure = country.by_level.get(level)
        bar = {"label": label, "centre": round(centre, 1), "figure": figure}
        if figure is not None:
            top = y(figure.median)
            bar.update(
                x=round(centre - bar_width / 2, 1),
                y=top,
                width=round(bar_width, 1),
                height=round(baseline - top, 1),
                # salary_table() wrote it for the table; a figure built elsewhere has none.
                amount=getattr(figure, "median_text", None)
                or format_money(figure.median, figure.currency),
            )
            if figure.p25 is not None and figure.p75 is not None:
                bar["whisker"] = {"y1": y(figure.p25), "y2": y(figure.p75)}
                top = min(top, y(figure.p75))
            bar["label_y"] = round(top - 8, 1)
        bars.append(bar)
    summary = ", ".join(f"{b['label']} {b['amount']}" for b in bars if b["figure"] is not None)
    return {
        "country": country,
        "bars": bars,
        "chart_id": chart_id,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": baseline,
        "level_label_y": baseline + 18,
        "summary": summary,
    }


@register.simple_tag
def salary_chart(country, levels, chart_id):
    """{% salary_chart country levels chart_id %}: the country's chart as an inline SVG and
    its figcaption.

    Drawn in Python, byte for byte as the template it replaced drew it
    (tests/careers/test_salary_chart.py keeps that template and compares): with 76 variables
    a chart, three charts were 260 of the career page's 850 template nodes and 3.5 of its 21
    ms of rendering. Coordinates are written with str(), never localized (a decimal comma
    would break them); texts are escaped as the template escaped them.
    """
    chart = chart_geometry(country, levels, chart_id)
    width, height, baseline = chart["width"], chart["height"], chart["baseline"]
    name, currency = conditional_escape(country.name), conditional_escape(country.currency)
    parts = [
        f'<svg class="salary-svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="salary-chart-{chart_id}-title '
        f'salary-chart-{chart_id}-desc" focusable="false">\n'
        f'  <title id="salary-chart-{chart_id}-title">Median annual salary in {name} '
        f"({currency}) by level</title>\n"
        f'  <desc id="salary-chart-{chart_id}-desc">{conditional_escape(chart["summary"])}'
        "</desc>\n"
        f'  <line class="salary-axis" x1="0" x2="{width}" y1="{baseline}" y2="{baseline}"/>\n  '
    ]
    for number, bar in enumerate(chart["bars"], start=1):
        centre = bar["centre"]
        if bar["figure"]:
            parts.append(
                f'\n  <rect class="salary-bar salary-bar-{number}" x="{bar["x"]}" y="{bar["y"]}" '
                f'width="{bar["width"]}" height="{bar["height"]}" rx="3"/>\n  '
            )
            if whisker := bar.get("whisker"):
                parts.append(
                    f'<line class="salary-whisker" x1="{centre}" x2="{centre}" '
                    f'y1="{whisker["y1"]}" y2="{whisker["y2"]}"/>'
                )
            parts.append(
                f'\n  <text class="salary-value" x="{centre}" y="{bar["label_y"]}" '
                f'text-anchor="middle">{conditional_escape(bar["amount"])}</text>\n  '
            )
        parts.append(
            f'\n  <text class="salary-level" x="{centre}" y="{chart["level_label_y"]}" '
            f'text-anchor="middle">{conditional_escape(bar["label"])}</text>'
        )
    parts.append(
        f'\n</svg>\n<figcaption>{name} <span class="currency-code">{currency}</span></figcaption>\n'
    )
    return SafeString("".join(parts))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def occupation_data(career, *, steps, responsibilities, salaries) -> dict:
    """schema.org Occupation for a career page.

    Salary figures become one MonetaryAmountDistribution per country and level (named for
    both, since the type has no location of its own); the countries are the Occupation's
    occupationLocation. The roadmap's certifications are the qualifications, in order, and
    their names the skills the roadmap validates (Career has no separate skills field).
    """
    distributions = []
    level_labels = dict(salaries.levels)
    for country in salaries.countries:
        for figure in country.figures:
            distribution = {
                "@type": "MonetaryAmountDistribution",
                "name": f"{level_labels[figure.level]} level, {country.name} ({figure.year})",
                "currency": figure.currency,
                "duration": "P1Y",
                "median": figure.median,
            }
            if figure.p25 is not None:
                distribution["percentile25"] = figure.p25
            if figure.p75 is not None:
                distribution["percentile75"] = figure.p75
            distributions.append(distribution)
    credentials = []
    for step in steps:
        cert = step.certification
        credential = {
            "@type": "EducationalOccupationalCredential",
            "name": cert.name,
            "url": absolute(step.url),
            "credentialCategory": "certification",
            "educationalLevel": cert.level_label,
            "recognizedBy": {"@type": "Organization", "name": cert.provider.name},
        }
        if cert.provider.website:
            credential["recognizedBy"]["url"] = cert.provider.website
        credentials.append({"@type": "ListItem", "position": step.number, "item": credential})
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": career.title,
        "description": career.seo_description or career.tagline,
        "url": absolute(career.get_absolute_url()),
        "occupationalCategory": career.category,
        "responsibilities": [r.text for r in responsibilities],
        "skills": [step.certification.name for step in steps],
        "qualifications": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderAscending",
            "numberOfItems": len(credentials),
            "itemListElement": credentials,
        },
        "estimatedSalary": distributions,
        "occupationLocation": [
            {"@type": "Country", "name": name, "identifier": code}
            for code, name in {c.code: c.name for c in salaries.countries}.items()
        ],
    }
    if career.alternative_title_list:
        data["alternateName"] = career.alternative_title_list
    return data


def breadcrumb_data(career) -> dict:
    """schema.org BreadcrumbList: Home > Careers > this career."""
    trail = [
        ("Home", reverse_plain("home")),
        ("Careers", reverse_plain("careers:list")),
        (career.title, career.get_absolute_url()),
    ]
    return breadcrumb_list(trail, site_url=settings.SITE_URL)


@register.simple_tag(takes_context=True)
def career_occupation(context):
    """{% career_occupation as data %}: the Occupation for the page's career ({% jsonld %})."""
    return occupation_data(
        context["career"],
        steps=context["steps"],
        responsibilities=context["responsibilities"],
        salaries=context["salaries"],
    )


@register.simple_tag
def career_breadcrumbs(career):
    """{% career_breadcrumbs career as data %}: the BreadcrumbList for a career page."""
    return breadcrumb_data(career)


@register.filter
def validity(months):
    """24 -> '2 years', 18 -> '18 months', None -> 'does not expire'."""
    if not months:
        return "does not expire"
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"
