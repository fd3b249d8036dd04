"""{% salary_chart %}: each country's chart drawn in Python, byte for byte as the template it
replaced (TEMPLATE, kept here as the reference) drew it."""

from django.template import Context, Template
from hypothesis import given, settings
from hypothesis import strategies as st

from careers.career_page import CountrySalaries
from careers.models import SalaryFigure
from careers.templatetags.career_tags import chart_geometry, salary_chart

# careers/includes/_salary_chart.html as it was, rendered as the inclusion tag rendered it.
TEMPLATE = Template(
    """{% load l10n %}{# SVG coordinates are geometry, never localized (a decimal comma would break them). #}{% localize off %}<svg class="salary-svg" viewBox="0 0 {{ width }} {{ height }}" width="{{ width }}" height="{{ height }}" role="img" aria-labelledby="salary-chart-{{ chart_id }}-title salary-chart-{{ chart_id }}-desc" focusable="false">
  <title id="salary-chart-{{ chart_id }}-title">Median annual salary in {{ country.name }} ({{ country.currency }}) by level</title>
  <desc id="salary-chart-{{ chart_id }}-desc">{{ summary }}</desc>
  <line class="salary-axis" x1="0" x2="{{ width }}" y1="{{ baseline }}" y2="{{ baseline }}"/>
  {% for bar in bars %}{% if bar.figure %}
  <rect class="salary-bar salary-bar-{{ forloop.counter }}" x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ bar.height }}" rx="3"/>
  {% if bar.whisker %}<line class="salary-whisker" x1="{{ bar.centre }}" x2="{{ bar.centre }}" y1="{{ bar.whisker.y1 }}" y2="{{ bar.whisker.y2 }}"/>{% endif %}
  <text class="salary-value" x="{{ bar.centre }}" y="{{ bar.label_y }}" text-anchor="middle">{{ bar.amount }}</text>
  {% endif %}
  <text class="salary-level" x="{{ bar.centre }}" y="{{ level_label_y }}" text-anchor="middle">{{ bar.label }}</text>{% endfor %}
</svg>{% endlocalize %}
<figcaption>{{ country.name }} <span class="currency-code">{{ country.currency }}</span></figcaption>
"""  # noqa: E501
)

LEVELS = list(SalaryFigure.Level.choices)
text = st.text(alphabet=st.sampled_from(list("aZ09 <>&\"'é;#")), min_size=1, max_size=12)
amount = st.integers(min_value=1, max_value=10**9)


@st.composite
def countries(draw):
    levels = [level for level in LEVELS if draw(st.booleans())] or [LEVELS[0]]
    country = CountrySalaries(
        code="ZZ",
        currency=draw(st.sampled_from(["USD", "EUR", "JPY", "CHF", "XYZ"])),
        name=draw(text),
    )
    shown = [level for level, _ in levels if draw(st.booleans())] or [levels[0][0]]
    for value in shown:
        median = draw(amount)
        country.by_level[value] = SalaryFigure(
            country="ZZ",
            currency=country.currency,
            level=value,
            level_rank=SalaryFigure.LEVEL_RANKS[value],
            median=median,
            p25=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=median))),
            p75=draw(st.one_of(st.none(), st.integers(min_value=median, max_value=2 * 10**9))),
            year=2026,
        )
    return country, levels


@settings(max_examples=300, deadline=None)
@given(drawn=countries(), chart_id=st.integers(min_value=1, max_value=12))
def test_the_python_chart_matches_the_template_it_replaced(drawn, chart_id):
    country, levels = drawn

    reference = TEMPLATE.render(Context(chart_geometry(country, levels, chart_id)))

    assert salary_chart(country, levels, chart_id) == reference
