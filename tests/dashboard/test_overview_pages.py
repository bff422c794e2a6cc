"""The overview of many pairs (issue 15: a thousand nationally) stays a page a person can
read: the totals over every pair, then a page of pairs with those needing attention first
(a balance flag, then overdue tasks), the rest on later pages or found by name."""

import re
from datetime import timedelta
from urllib.parse import urlencode

from markupsafe import escape

from outreach.auth.models import Role
from outreach.contacts.choices import Participants
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.dashboard import queries
from outreach.dashboard.forms import period_of
from outreach.extensions import db
from outreach.pairs.models import Pair
from tests import factories
from tests.helpers import count

MORE_PAIRS = 28  # with the world's: more than a page (PAGE_SIZE 25), fewer than two


def named_pair(n: int, professional: str | None = None):
    return factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL,
                                         name=professional or f"Aino Ammattilainen {n:02}"),
        expert=factories.make_user(Role.EXPERT, name=f"Eila Kokemus {n:02}"))


def many_pairs():
    """28 more pairs: one with an overdue task, one whose professional has just worked 3 h
    alone (the balance flag), both named to sort last by name."""
    for n in range(MORE_PAIRS - 2):
        named_pair(n)
    overdue = named_pair(98, "Ööpiä Viimeinen")
    factories.make_task(overdue, due_on=local_today() - timedelta(days=3))
    flagged = named_pair(99, "Öljy Yksin")
    her = factories.make_client(flagged)
    factories.make_contact(her, contacted_at=utcnow() - timedelta(minutes=5),
                           duration_minutes=180, participants=Participants.PROFESSIONAL)
    return flagged, overdue


def overview(**args) -> str:
    """The overview's URL for the last week up to today: the flagged pair's contact, five
    minutes ago, is in it whenever the test runs (a month or a year may just have begun)."""
    today = local_today()
    query = {"lang": "en", "period": "custom", "start": (today - timedelta(days=7)).isoformat(),
             "end": today.isoformat(), **args}
    return "/dashboard/?" + urlencode(query)


def pair_rows(html: str) -> list[str]:
    table = html[html.index('<table class="pairs-summary">'):]
    table = table[:table.index("</table>")]
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a></th>', table)


def test_the_overview_pages_the_pairs_needing_attention_first(client, world, sign_in):
    flagged, overdue = many_pairs()
    pairs = count(Pair)
    sign_in(world.admin)
    html = client.get(overview()).get_data(as_text=True)
    rows = pair_rows(html)
    assert len(rows) == 25
    assert rows[:2] == [str(escape(flagged.label)), str(escape(overdue.label))]
    assert f"<dt>Pairs</dt><dd>{pairs}</dd>" in html, "the totals count every pair"
    assert f"Page 1 of 2 ({pairs} in all)" in html
    # Ticking some thirty pairs is no way to choose: a pair is chosen from the table.
    assert 'name="pair"' not in html

    rest = pair_rows(client.get(overview(page=2)).get_data(as_text=True))
    assert len(rest) == pairs - 25
    assert not set(rest) & set(rows)


def test_the_overview_finds_pairs_by_a_partners_name(client, world, sign_in):
    flagged, _overdue = many_pairs()
    sign_in(world.admin)
    found = client.get(overview(q="yksin")).get_data(as_text=True)
    assert pair_rows(found) == [str(escape(flagged.label))]
    assert f"<dt>Pairs</dt><dd>{count(Pair)}</dd>" in found, "the totals stay over every pair"

    none = client.get(overview(q="<i>Nobody</i>"))
    assert none.status_code == 200
    assert "No pair's names hold “&lt;i&gt;Nobody&lt;/i&gt;”." in none.get_data(as_text=True)


def test_a_supervisor_of_a_few_pairs_still_ticks_them(client, world, sign_in):
    sign_in(world.supervisor)
    html = client.get(overview()).get_data(as_text=True)
    assert html.count('name="pair"') == 2  # the world's supervisor has two pairs
    assert "Page 1 of" not in html


def worked(pair, *minutes_by_who):
    """Contacts of five minutes ago with a client of the pair: (who, minutes) each."""
    her = factories.make_client(pair)
    for who, minutes in minutes_by_who:
        factories.make_contact(her, contacted_at=utcnow() - timedelta(minutes=5),
                               duration_minutes=minutes, participants=who)


def test_the_balance_flags_at_their_edges_agree_in_sql_and_in_the_breakdown(client, world,
                                                                             sign_in):
    """The overview decides the flags in SQL to sort a thousand pairs; the breakdown
    decides them in Python. At the edges they agree: the expert in exactly a third of
    the contacts is not flagged, in less is; one partner with exactly 75 % of 120 solo
    minutes is not, with more is; 76 % of less than 120 minutes is not."""
    pro, expert, both = (Participants.PROFESSIONAL, Participants.EXPERT,
                         Participants.BOTH)
    cases = {
        named_pair(1, "Kolmannes Tasan"): ((pro, 1), (pro, 1), (both, 1)),
        named_pair(2, "Kolmannes Alle"): ((pro, 1), (pro, 1), (pro, 1), (both, 1)),
        named_pair(3, "Neljännes Tasan"): ((pro, 90), (expert, 30), (both, 5)),
        named_pair(4, "Neljännes Yli"): ((pro, 91), (expert, 29), (both, 5)),
        named_pair(5, "Vähän Tunteja"): ((pro, 76), (expert, 24), (both, 5)),
    }
    for pair, work in cases.items():
        worked(pair, *work)
    flagged = {pair.label for pair in cases if pair.professional.name.endswith(("Alle", "Yli"))}
    sign_in(world.admin)
    html = client.get(overview()).get_data(as_text=True)
    assert set(pair_rows(html)[:2]) == {str(escape(label)) for label in flagged}
    assert "<dt>Pairs with a balance flag</dt><dd>2</dd>" in html
    for pair in cases:
        breakdown = client.get(overview(pair=pair.id)).get_data(as_text=True)
        says_so = ("Below the model's expectation" in breakdown
                   or "worth talking about together?" in breakdown)
        assert says_so == (pair.label in flagged), pair.label


def test_the_overview_reads_only_its_page_of_pairs(client, world, sign_in, count_queries):
    """A thousand pairs are not loaded to show twenty-five: the pairs with their people are
    read for the page's rows alone (the rest are counted and sorted in SQL)."""
    many_pairs()
    sign_in(world.admin)
    with count_queries() as statements:
        client.get(overview())
    people = [statement for statement in statements
              if statement.lstrip().startswith("SELECT pair.id, pair.professional_id")]
    assert len(people) == 1
    assert people[0].count("?") == 25 or people[0].count("%(") == 25, people[0]


def test_a_page_past_the_last_still_knows_how_many_pairs_were_found(world):
    """The count of the pairs found comes with the totals, not with the rows: a page past
    the last one has no rows but the same count."""
    many_pairs()
    period = period_of("custom", local_today(), local_today() - timedelta(days=7),
                       local_today())
    first = queries.dashboard(world.admin, period, local_today(), search="Kokemus")
    past = queries.dashboard(world.admin, period, local_today(), search="Kokemus", page=9)
    assert first.matched == MORE_PAIRS and len(first.figures) == 25
    assert past.matched == MORE_PAIRS and past.figures == []


def test_only_the_pairs_that_worked_in_the_period_are_offered(world):
    """A pair that ended before the period is no choice for it (and no reason to offer
    ticks), though the user may still see it in other periods."""
    world.pair2.ends_on = local_today() - timedelta(days=400)
    db.session.commit()
    period = period_of("month", local_today())
    dash = queries.dashboard(world.supervisor, period, local_today())
    assert [choice.id for choice in dash.choices] == [world.pair.id]
    older = period_of("custom", local_today(), local_today() - timedelta(days=500),
                      local_today() - timedelta(days=450))
    assert world.pair2.id in {choice.id for choice in
                              queries.dashboard(world.supervisor, older, local_today()).choices}
