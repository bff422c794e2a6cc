"""The anonymous summary: supervisors (their pairs) and administrators (all); submitted
forms only; no figures under 3 answers, no quotes from under 3 forms; never a name."""

import re
from datetime import UTC, datetime

import pytest

from outreach.evaluations.models import Activity, FormStatus
from outreach.extensions import db
from tests.factories import make_form, make_round
from tests.helpers import sign_in, text_of

URL = "/evaluations/summary"


def _statement_card(page: str, section: str, key: str) -> str:
    match = re.search(rf'<li class="card" id="chart-{section}-{key}-card">(.*?)</li>', page, re.S)
    assert match, (section, key)
    return match.group(1)


def _rounds_with_forms(world, count: int, pair=None, **round_fields):
    """`count` rounds of the pair, both partners submitted (A1: 1 and 5, quotes allowed)."""
    pair = pair or world.pair
    for n in range(count):
        evaluation_round = make_round(pair, **round_fields)
        make_form(evaluation_round, pair.professional, {"A1": 1, "A2": 4, "B1": 5},
                  texts={"A_open_1": f"Lainattava ammattilainen {n}",
                         "A_open_2": f"Ei lainattava {n}"}, quotes={"A_open_1"})
        make_form(evaluation_round, pair.expert, {"A1": 5, "A2": 4, "B1": 2},
                  texts={"A_open_1": f"Lainattava kokemus {n}", "B_open_1": f"B-lainaus {n}"},
                  quotes={"A_open_1", "B_open_1"})


@pytest.mark.parametrize(("who", "expected"), [("pro", 403), ("expert", 403),
                                               ("supervisor", 200), ("admin", 200)])
def test_who_sees_the_summary(client, world, who, expected):
    user = {"pro": world.pro, "expert": world.expert, "supervisor": world.supervisor,
            "admin": world.admin}[who]
    sign_in(client, user)
    assert client.get(URL).status_code == expected


def test_figures_need_three_answers_and_quotes_three_forms(client, world):
    _rounds_with_forms(world, 1)  # two submitted forms: too few
    sign_in(client, world.supervisor)
    page = text_of(client.get(URL + "?lang=en"))
    assert "Fewer than 3 answers" in _statement_card(page, "A", "A1")
    assert "<svg" not in page
    assert "Lainattava" not in page
    assert "Fewer than 3 submitted forms: no quotes are shown." in page


def test_the_summary_over_submitted_forms(client, world):
    _rounds_with_forms(world, 2)  # four forms: A1 = 1, 5, 1, 5
    draft_round = make_round(world.pair)
    make_form(draft_round, world.pro, {"A1": 3}, status=FormStatus.DRAFT,
              texts={"A_open_1": "Luonnoksen teksti"}, quotes={"A_open_1"})
    sign_in(client, world.supervisor)
    page = text_of(client.get(URL + "?lang=en"))
    card = _statement_card(page, "A", "A1")
    assert "4 answers, mean 3.0" in card
    assert 'data-value="1" data-count="2"' in card and 'data-value="5" data-count="2"' in card
    assert 'data-value="3" data-count="0"' in card  # the draft does not count
    assert "Luonnoksen teksti" not in page
    # Quotes: only those allowed, from a set of at least three forms.
    assert "Lainattava ammattilainen 0" in page and "Lainattava kokemus 1" in page
    assert "Ei lainattava" not in page
    # B of the experts: only two expert forms, so no figures and no quotes.
    assert "Fewer than 3 answers" in _statement_card(page, "B-expert", "B1")
    assert "B-lainaus" not in page
    # Never a name or a pair.
    for name in (world.pro.name, world.expert.name, world.supervisor.name):
        assert name not in page.split('<main id="main"', 1)[1].split("</main>")[0]


def test_the_table_alternative_and_finnish_numbers(client, world):
    _rounds_with_forms(world, 2)
    sign_in(client, world.supervisor)
    page = text_of(client.get(URL + "?lang=fi"))
    assert "3,0" in page
    table = page.split("<table>", 1)[1].split("</table>", 1)[0]
    assert "<td>4</td><td>3,0</td>" in table


def test_a_supervisor_sees_only_her_pairs_and_the_admin_all(client, world):
    _rounds_with_forms(world, 2)
    _rounds_with_forms(world, 2, pair=world.other)
    sign_in(client, world.supervisor)
    assert "4 answers, mean 3.0" in _statement_card(text_of(client.get(URL + "?lang=en")),
                                                     "A", "A1")
    sign_in(client, world.admin)
    assert "8 answers, mean 3.0" in _statement_card(text_of(client.get(URL + "?lang=en")),
                                                     "A", "A1")
    sign_in(client, world.other_supervisor)
    assert "4 answers" in _statement_card(text_of(client.get(URL + "?lang=en")), "A", "A1")


def test_filters_by_activity_and_year(client, world):
    _rounds_with_forms(world, 2, activity=Activity.PEER_GROUP,
                       opened_at=datetime(2025, 5, 1, tzinfo=UTC))
    _rounds_with_forms(world, 1, activity=Activity.OUTREACH)
    sign_in(client, world.supervisor)

    def a1(query):
        return _statement_card(text_of(client.get(URL + query + "&lang=en")), "A", "A1")

    assert "6 answers" in a1("?activity=")
    assert "4 answers" in a1("?activity=peer_group")
    assert "Fewer than 3 answers" in a1("?activity=outreach")
    assert "4 answers" in a1("?year=2025")
    assert "6 answers" in a1("?activity=nonsense&year=1800")


def test_the_number_of_queries_does_not_grow_with_the_rounds(client, world, count_queries):
    sign_in(client, world.supervisor)
    _rounds_with_forms(world, 2)
    with count_queries() as few:
        assert client.get(URL).status_code == 200
    _rounds_with_forms(world, 8)
    with count_queries() as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
    db.session.rollback()
