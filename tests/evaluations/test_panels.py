"""The evaluation panels on the pair page and the home page."""

import pytest

from outreach.core.time import local_today
from outreach.evaluations.models import FormStatus
from outreach.panels import HOME_PANELS, PAIR_PANELS
from tests.factories import make_form, make_round
from tests.helpers import sign_in, text_of


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}"')
    return page[start:page.index("</section>", start)]


def test_partners_see_their_state_and_the_partners_waiting(client, world):
    evaluation_round = make_round(world.pair, duration="Neljä kuukautta")
    make_form(evaluation_round, world.pro, status=FormStatus.DRAFT, texts={"A_open_1": "Piilo"})
    sign_in(client, world.pro)
    panel = _section(text_of(client.get(f"/pairs/{world.pair.id}?lang=en")), "evaluations-panel")
    assert "Neljä kuukautta" in panel
    assert "Your form: draft saved" in panel and "Your partner: waiting" in panel
    assert f"/evaluations/{evaluation_round.id}/form" in panel
    assert "Joint review" not in panel and "Piilo" not in panel
    assert "Open a new evaluation round" in panel


def test_the_joint_review_is_linked_when_both_are_done(client, world):
    evaluation_round = make_round(world.pair)
    make_form(evaluation_round, world.pro)
    make_form(evaluation_round, world.expert)
    sign_in(client, world.expert)
    panel = _section(text_of(client.get(f"/pairs/{world.pair.id}?lang=en")), "evaluations-panel")
    assert "Your form: submitted" in panel and "Your partner: submitted" in panel
    assert f'href="/evaluations/{evaluation_round.id}/review"' in panel
    assert "Open a new evaluation round" not in panel  # the expert does not open rounds


def test_the_supervisor_sees_counts_and_the_summary_link(client, world):
    evaluation_round = make_round(world.pair)
    make_form(evaluation_round, world.pro, texts={"A_open_1": "Piilo"})
    sign_in(client, world.supervisor)
    panel = _section(text_of(client.get(f"/pairs/{world.pair.id}?lang=en")), "evaluations-panel")
    assert "1 of 2 forms submitted" in panel
    assert 'href="/evaluations/summary"' in panel
    assert "/form" not in panel and "/review" not in panel and "Piilo" not in panel


def test_the_home_page_asks_for_the_form_until_it_is_submitted(client, world):
    evaluation_round = make_round(world.pair)
    sign_in(client, world.expert)
    page = text_of(client.get("/?lang=en"))
    assert "Evaluation forms waiting for you" in page
    assert f'href="/evaluations/{evaluation_round.id}/form"' in page
    make_form(evaluation_round, world.expert, status=FormStatus.DRAFT)
    assert "Draft saved" in _section(text_of(client.get("/?lang=en")), "evaluations-waiting")
    sign_in(client, world.pro)
    assert "Evaluation forms waiting for you" in text_of(client.get("/?lang=en"))
    make_form(evaluation_round, world.pro)
    assert "Evaluation forms waiting for you" not in text_of(client.get("/?lang=en"))


@pytest.mark.parametrize("who", ["pro", "supervisor"])
def test_the_panels_run_a_fixed_number_of_queries(app, world, count_queries, who):
    user = world.pro if who == "pro" else world.supervisor
    pair_panel = PAIR_PANELS.panels["evaluations-panel"]
    home_panel = HOME_PANELS.panels["evaluations-waiting"]
    today = local_today()

    def counts():
        with app.test_request_context():
            with count_queries() as pair_queries:
                pair_panel.load(world.pair, user, today)
            with count_queries() as home_queries:
                home_panel.load(user, today)
        return len(pair_queries), len(home_queries)

    evaluation_round = make_round(world.pair)
    make_form(evaluation_round, world.expert)
    few = counts()
    for _n in range(6):
        more = make_round(world.pair)
        make_form(more, world.pro, status=FormStatus.DRAFT)
        make_form(more, world.expert)
    assert counts() == few
