"""The SVG chart is a pure function of the mappings: check what it draws."""

import xml.etree.ElementTree as ET
from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from outreach.clients.choices import LifeDomain
from outreach.mappings import chart as chart_module
from outreach.mappings.chart import render_chart, x_positions, y_position

D = LifeDomain
SVG = "{http://www.w3.org/2000/svg}"


def mapping(id_, on, **ratings):
    return SimpleNamespace(
        id=id_, mapped_on=on,
        ratings=[SimpleNamespace(domain=D(name), rating=value) for name, value in ratings.items()]
        + [SimpleNamespace(domain=d, rating=None) for d in D if d.value not in ratings],
    )


MAPPINGS = [
    # Given out of order: the chart sorts them by date.
    mapping(3, date(2026, 5, 20), housing=4, mental_health=3),
    mapping(1, date(2026, 1, 10), housing=1, mental_health=2, substance_use=2),
    mapping(2, date(2026, 3, 15), housing=2, substance_use=3),
]


@pytest.fixture
def english(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def chart(english):
    """The chart parsed as XML: it must be well-formed to parse at all."""
    markup = render_chart(MAPPINGS, format_day=date.isoformat)
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup


def svg_of(chart, domain: LifeDomain):
    return chart.find(f".//{SVG}svg[@id='mapping-chart-{domain.value.replace('_', '-')}']")


def test_one_small_chart_per_domain_with_its_name_and_values(chart):
    svgs = chart.findall(f".//{SVG}svg")
    assert len(svgs) == 10
    for svg in svgs:
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id
        assert svg.find(f"{SVG}desc").get("id") == desc_id
    housing = svg_of(chart, D.HOUSING)
    assert housing.find(f"{SVG}title").text == "Housing"
    assert housing.find(f"{SVG}desc").text == (
        "Rating from 1 (acute crisis) to 5 (stable), oldest first: "
        "2026-01-10: 1; 2026-03-15: 2; 2026-05-20: 4."
    )
    desc = svg_of(chart, D.SAFETY_VIOLENCE).find(f"{SVG}desc").text
    assert desc.endswith("2026-01-10: not assessed; 2026-03-15: not assessed; "
                         "2026-05-20: not assessed.")


def test_a_point_per_mapping_per_rated_domain(chart):
    def points(domain):
        return [
            (float(c.get("cx")), float(c.get("cy")), int(c.get("data-rating")))
            for c in svg_of(chart, domain).iter(f"{SVG}circle")
            if c.get("class") == "chart-point"
        ]

    assert len(chart.findall(f".//{SVG}circle")) == 3 + 2 + 2
    housing = points(D.HOUSING)
    assert [rating for _x, _y, rating in housing] == [1, 2, 4]
    xs = [x for x, _y, _r in housing]
    assert xs == sorted(xs) and len(set(xs)) == 3  # oldest left, newest right
    assert [y for _x, y, _r in housing] == [y_position(1), y_position(2), y_position(4)]
    assert y_position(5) < y_position(1)  # stable is up
    assert points(D.INCOME_DEBTS) == []
    # Each point names its date and rating for a pointer user.
    first = svg_of(chart, D.HOUSING).find(f"{SVG}circle/{SVG}title")
    assert first.text == "2026-01-10: 1"


def test_a_domain_not_assessed_leaves_a_gap_in_its_line(chart):
    def lines(domain):
        return [p.get("points") for p in svg_of(chart, domain).iter(f"{SVG}polyline")]

    assert len(lines(D.HOUSING)) == 1
    assert len(lines(D.HOUSING)[0].split()) == 3
    # Mental health: rated in January and May, not in March: no line across the gap.
    assert lines(D.MENTAL_HEALTH) == []
    # Substance use: January and March joined; nothing after.
    assert len(lines(D.SUBSTANCE_USE)) == 1
    assert len(lines(D.SUBSTANCE_USE)[0].split()) == 2


def test_the_table_alternative_has_domains_as_rows_and_dates_as_columns(chart):
    details = chart.find(".//details")
    assert details.find("summary").text == "Show as a table"
    table = details.find(".//table")
    head = [th.text for th in table.findall("thead/tr/th")]
    assert head == ["Life domain", "2026-01-10", "2026-03-15", "2026-05-20"]
    assert all(th.get("scope") == "col" for th in table.findall("thead/tr/th"))
    rows = {
        tr.find("th").text: ["".join(td.itertext()) for td in tr.findall("td")]
        for tr in table.findall("tbody/tr")
    }
    assert len(rows) == 10
    assert rows["Housing"] == ["1", "2", "4"]
    assert rows["Mental health"] == ["2", "–not assessed", "3"]


def test_no_inline_style_and_no_script(chart):
    for element in chart.iter():
        assert "style" not in element.attrib
        assert not element.tag.endswith("script")


def test_text_is_escaped(english):
    markup = str(render_chart(MAPPINGS, id_prefix='x" onload="alert(1)',
                              format_day=lambda day: "<b>&</b>"))
    assert "<b>" not in markup
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in markup
    assert 'onload="' not in markup
    ET.fromstring(markup)  # noqa: S314 - our own markup


def test_no_mappings_no_chart(english):
    assert str(render_chart([])) == ""


def test_one_date_sits_in_the_middle():
    [x] = x_positions([date(2026, 1, 1)])
    left, right = x_positions([date(2026, 1, 1), date(2026, 2, 1)])
    assert left < x < right


def test_the_chart_is_built_once_and_again_when_a_rating_or_the_language_changes(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        first = render_chart(MAPPINGS, format_day=date.isoformat)
        # The same dates and ratings: the markup built before, not built again.
        assert render_chart(list(MAPPINGS), format_day=date.isoformat) is first
        changed = [mapping(3, date(2026, 5, 20), housing=5, mental_health=3), *MAPPINGS[1:]]
        again = render_chart(changed, format_day=date.isoformat)
        assert again != first
        assert again == chart_module._build_chart(
            chart_module.ordered(changed), "mapping-chart", date.isoformat)
        with force_locale("fi"):
            finnish = render_chart(MAPPINGS, format_day=date.isoformat)
        assert finnish != first
        assert "Show as a table" not in str(finnish)
