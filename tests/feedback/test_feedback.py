"""The pair's feedback thread: either partner gives feedback or asks for it; an ask waits on
the OTHER partner's home page until answered; readable and writable by the two partners
only (supervisors, administrators, another pair: 404)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.feedback.models import FeedbackItem, FeedbackKind
from tests import factories
from tests.factories import make_feedback
from tests.helpers import days_ago, fresh, htmx_headers, sign_in

SECRET = "Yksityinen palaute: puhuit naisen puolesta liikaa"


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(FeedbackItem.id)))


# --- Access --------------------------------------------------------------------------------


@pytest.fixture
def things(world):
    ask = make_feedback(world.pair, world.expert, kind=FeedbackKind.ASK, body=SECRET)
    return {"pair": world.pair.id, "ask": ask.id}


ROUTES = [
    ("get", "/pairs/{pair}/feedback", None),
    ("post", "/pairs/{pair}/feedback", {"kind": "give", "situation": "x", "body": "y"}),
    ("get", "/pairs/{pair}/feedback/{ask}/answer", None),
    ("post", "/pairs/{pair}/feedback/{ask}/answer", {"body": "y"}),
]


def _unchanged(things):
    assert _count() == 1
    assert fresh(FeedbackItem, things["ask"]).answered_at is None


@pytest.mark.parametrize("who", ["supervisor", "admin", "other_professional", "other_expert"])
@pytest.mark.parametrize(("method", "url", "data"), ROUTES)
def test_only_the_two_partners_may_read_or_write(client, world, things, who, method, url, data):
    sign_in(client, world.actor(who))
    for headers in (None, htmx_headers("feedback-thread")):
        response = getattr(client, method)(url.format(**things), data=data, headers=headers)
        assert response.status_code == 404, url
        assert SECRET not in response.get_data(as_text=True)
    _unchanged(things)


@pytest.mark.parametrize(("method", "url", "data"), ROUTES)
def test_signed_out_users_are_sent_to_sign_in(client, world, things, method, url, data):
    response = getattr(client, method)(url.format(**things), data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    _unchanged(things)


def test_another_pairs_ask_cannot_be_reached_through_our_pair(client, world):
    theirs = make_feedback(world.other_pair, world.other_pair.expert, kind=FeedbackKind.ASK)
    sign_in(client, world.professional)
    url = f"/pairs/{world.pair.id}/feedback/{theirs.id}/answer"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"body": "x"}).status_code == 404
    assert fresh(FeedbackItem, theirs.id).answered_at is None


def test_the_supervisor_sees_no_feedback_anywhere(client, world, things):
    sign_in(client, world.supervisor)
    for url in ("/", f"/pairs/{world.pair.id}"):
        html = client.get(f"{url}?lang=en").get_data(as_text=True)
        assert SECRET not in html
        assert "/feedback" not in html


# --- Giving, asking, answering ---------------------------------------------------------------


@pytest.mark.parametrize("author", ["professional", "expert"])
def test_either_partner_gives_feedback(client, world, author):
    sign_in(client, world.actor(author))
    response = client.post(f"/pairs/{world.pair.id}/feedback?lang=en", data={
        "kind": "give", "situation": "Kelan käynti", "body": SECRET})
    assert response.status_code == 302
    item = db.session.scalar(sa.select(FeedbackItem))
    assert (item.kind, item.author_id, item.situation, item.body, item.pair_id) == (
        FeedbackKind.GIVE, world.actor(author).id, "Kelan käynti", SECRET, world.pair.id)
    other = world.expert if author == "professional" else world.professional
    sign_in(client, other)
    html = client.get(f"/pairs/{world.pair.id}/feedback?lang=en").get_data(as_text=True)
    assert SECRET in html and "Kelan käynti" in html
    # Feedback given waits for nothing: no home panel.
    assert "Feedback asked of you" not in client.get("/?lang=en").get_data(as_text=True)


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "give", "situation": "", "body": "x"}, "Write which situation it is about."),
    ({"kind": "give", "situation": "x", "body": "  "}, "Write your feedback or your question."),
    ({"kind": "praise", "situation": "x", "body": "y"}, "Choose one of the options."),
    ({"kind": "give", "situation": "x" * 201, "body": "y"}, "At most 200 characters."),
])
def test_invalid_feedback_is_refused_and_kept_on_the_form(client, world, data, message):
    sign_in(client, world.expert)
    response = client.post(f"/pairs/{world.pair.id}/feedback?lang=en", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count() == 0


def test_an_ask_waits_on_the_other_partners_home_until_answered(client, world):
    sign_in(client, world.expert)
    response = client.post(f"/pairs/{world.pair.id}/feedback?lang=en", data={
        "kind": "ask", "situation": "Purkukeskustelu", "body": "Miten onnistuin?"})
    assert response.status_code == 302
    ask = db.session.scalar(sa.select(FeedbackItem))
    assert ask.is_open_ask
    # Not on her own home page: it waits for the other one.
    assert "Feedback asked of you" not in client.get("/?lang=en").get_data(as_text=True)
    panel = client.get(f"/pairs/{world.pair.id}?lang=en").get_data(as_text=True)
    assert re.search(r"Your asks waiting for an answer</dt>\s*<dd>1<", panel)

    sign_in(client, world.professional)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "Feedback asked of you (1)" in home
    answer_url = f"/pairs/{world.pair.id}/feedback/{ask.id}/answer"
    assert f'href="{answer_url}"' in home
    page = client.get(f"{answer_url}?lang=en").get_data(as_text=True)
    assert "Miten onnistuin?" in page
    response = client.post(f"{answer_url}?lang=en", data={"body": "Hyvin: kuuntelit."})
    assert response.status_code == 302
    answer = db.session.scalar(sa.select(FeedbackItem).where(FeedbackItem.id != ask.id))
    assert response.headers["Location"].endswith(f"#feedback-{answer.id}")
    assert (answer.kind, answer.in_reply_to_id, answer.author_id, answer.situation) == (
        FeedbackKind.GIVE, ask.id, world.professional.id, "Purkukeskustelu")
    assert fresh(FeedbackItem, ask.id).answered_at is not None
    assert "Feedback asked of you" not in client.get("/?lang=en").get_data(as_text=True)
    thread = client.get(f"/pairs/{world.pair.id}/feedback?lang=en").get_data(as_text=True)
    assert "Hyvin: kuuntelit." in thread and "Eeva Expert asked:" in thread


def test_the_author_cannot_answer_her_own_ask(client, world):
    ask = make_feedback(world.pair, world.expert, kind=FeedbackKind.ASK)
    sign_in(client, world.expert)
    url = f"/pairs/{world.pair.id}/feedback/{ask.id}/answer"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"body": "Itse vastaan"}).status_code == 403
    assert _count() == 1 and fresh(FeedbackItem, ask.id).answered_at is None
    thread = client.get(f"/pairs/{world.pair.id}/feedback?lang=en").get_data(as_text=True)
    assert "Waiting for Paula Pro's answer" in thread
    assert f'href="{url}"' not in thread


def test_an_answered_ask_cannot_be_answered_again(client, world):
    ask = make_feedback(world.pair, world.expert, kind=FeedbackKind.ASK,
                        answered_at=days_ago(0.5))
    sign_in(client, world.professional)
    url = f"/pairs/{world.pair.id}/feedback/{ask.id}/answer?lang=en"
    response = client.post(url, data={"body": "Uudestaan"})
    assert response.status_code == 409
    assert "This ask has already been answered." in response.get_data(as_text=True)
    assert _count() == 1


def test_only_an_ask_can_be_answered(client, world):
    given = make_feedback(world.pair, world.expert)
    sign_in(client, world.professional)
    url = f"/pairs/{world.pair.id}/feedback/{given.id}/answer"
    assert client.get(url).status_code == 404
    assert client.post(url, data={"body": "x"}).status_code == 404


def test_an_empty_answer_is_refused(client, world):
    ask = make_feedback(world.pair, world.expert, kind=FeedbackKind.ASK)
    sign_in(client, world.professional)
    response = client.post(f"/pairs/{world.pair.id}/feedback/{ask.id}/answer?lang=en",
                           data={"body": ""})
    assert response.status_code == 422
    assert "Write your answer." in response.get_data(as_text=True)
    assert fresh(FeedbackItem, ask.id).answered_at is None


def test_an_ended_pairs_thread_is_read_only(client, world):
    pair = factories.make_pair(starts_on=local_today() - timedelta(days=90),
                               ends_on=local_today() - timedelta(days=1))
    ask = make_feedback(pair, pair.expert, kind=FeedbackKind.ASK, body=SECRET)
    sign_in(client, pair.professional)
    html = client.get(f"/pairs/{pair.id}/feedback?lang=en").get_data(as_text=True)
    assert SECRET in html and "<textarea" not in html
    assert client.post(f"/pairs/{pair.id}/feedback", data={
        "kind": "give", "situation": "x", "body": "y"}).status_code == 403
    assert client.post(f"/pairs/{pair.id}/feedback/{ask.id}/answer",
                       data={"body": "y"}).status_code == 403
    assert _count() == 1
    assert "Feedback asked of you" not in client.get("/?lang=en").get_data(as_text=True)


def test_the_thread_is_newest_first_and_paged(client, world, app, count_queries):
    sign_in(client, world.expert)
    for i in range(3):
        make_feedback(world.pair, world.professional, situation=f"Tilanne {i:02d}",
                      created_at=days_ago(30 - i))
    with count_queries() as few:
        assert client.get(f"/pairs/{world.pair.id}/feedback").status_code == 200
    for i in range(3, app.config["PAGE_SIZE"] + 3):
        kind = FeedbackKind.ASK if i % 2 else FeedbackKind.GIVE
        make_feedback(world.pair, world.professional, kind=kind, situation=f"Tilanne {i:02d}",
                      created_at=days_ago(30 - i))
    with count_queries() as many:
        html = client.get(f"/pairs/{world.pair.id}/feedback?lang=en").get_data(as_text=True)
    assert len(many) == len(few)
    situations = re.findall(r"Tilanne (\d\d)", html)
    assert situations == sorted(situations, reverse=True)
    assert situations[0] == f"{app.config['PAGE_SIZE'] + 2:02d}"
    assert "Page 1 of 2" in html
    assert "Tilanne 00" in client.get(f"/pairs/{world.pair.id}/feedback?page=2").get_data(
        as_text=True)


def test_the_home_panel_runs_a_fixed_number_of_queries(client, world, count_queries):
    sign_in(client, world.professional)
    make_feedback(world.pair, world.expert, kind=FeedbackKind.ASK, situation="Kysymys A")
    with count_queries() as few:
        assert client.get("/").status_code == 200
    for i in range(10):
        make_feedback(world.pair, world.expert, kind=FeedbackKind.ASK, situation=f"K {i}")
    with count_queries() as many:
        html = client.get("/?lang=en").get_data(as_text=True)
    assert "Feedback asked of you (11)" in html
    assert len(many) == len(few)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pages_render_in_every_language(client, world, lang):
    ask = make_feedback(world.pair, world.expert, kind=FeedbackKind.ASK)
    sign_in(client, world.professional)
    thread = f"/pairs/{world.pair.id}/feedback"
    for url in (thread, f"{thread}/{ask.id}/answer", "/"):
        response = client.get(f"{url}?lang={lang}")
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)
