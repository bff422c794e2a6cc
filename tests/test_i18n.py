"""Finnish by default, Swedish and English complete, each with its own date conventions."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from outreach.auth.models import Role
from outreach.extensions import db

TRANSLATIONS = Path(__file__).resolve().parent.parent / "outreach" / "translations"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_message_is_translated(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy
               or (isinstance(m.string, tuple) and not all(m.string)))]
    assert missing == []
    assert len(catalog) > 50


def test_catalogues_cover_every_message_in_the_code():
    from babel.messages.extract import extract_from_dir

    root = TRANSLATIONS.parent.parent
    method_map = [("outreach/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        root, method_map, options_map=options, keywords={"_": None, "_l": None, "gettext": None,
                                                          "ngettext": (1, 2), "lazy_gettext": None}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    with open(TRANSLATIONS / "sv" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh)}
    assert sorted(found - known) == []


@pytest.mark.parametrize(
    ("accept", "label"),
    [("fi-FI,fi;q=0.9", "Sähköposti"), ("sv-FI,sv;q=0.9", "E-post"), ("en-GB", "Email"),
     ("de-DE", "Sähköposti")],
)
def test_accept_language_picks_the_language(client, accept, label):
    response = client.get("/login", headers={"Accept-Language": accept})
    assert f">{label}</label>" in response.get_data(as_text=True)


def test_finnish_is_the_default(client):
    text = client.get("/login").get_data(as_text=True)
    assert '<html lang="fi">' in text
    assert "Kirjaudu sisään" in text


def test_english_login_form_contract(client):
    text = client.get("/login?lang=en").get_data(as_text=True)
    assert '<label for="email">Email</label>' in text
    assert '<label for="password">Password</label>' in text
    assert ">Sign in</button>" in text


def test_lang_parameter_switches_for_the_session(client):
    client.get("/login?lang=sv")
    assert '<html lang="sv">' in client.get("/login").get_data(as_text=True)


def test_saved_language_applies_after_sign_in_and_switch_wins(client, auth):
    auth.login_as(Role.EXPERT, language="sv")
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fi", "23.11.2026 klo 14.05"), ("sv", "23 nov. 2026 kl. 14:05"),
     ("en", "23 Nov 2026, 14:05")],
)
def test_dates_in_each_languages_conventions(app, lang, expected):
    from outreach.core.formatting import format_moment

    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        # 12:05 UTC is 14:05 in Helsinki in November.
        assert format_moment(datetime(2026, 11, 23, 12, 5, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("lang", "hours", "share", "change"),
    [("fi", "1\xa0234,5", "33 %", "+0,5"), ("sv", "1\xa0234,5", "33 %", "+0,5"),
     ("en", "1,234.5", "33 %", "+0.5")],
)
def test_numbers_in_each_languages_conventions_with_patterns_parsed_once(
        app, lang, hours, share, change):
    from outreach.core.formatting import _number_pattern, format_number

    _number_pattern.cache_clear()
    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        for _ in range(2):
            assert format_number(1234.5, "#,##0.0") == hours
            assert format_number(1 / 3, "#,##0 %") == share
            assert format_number(0.5, "+0.0;-0.0") == change
    # The second time from the patterns parsed the first time.
    assert (_number_pattern.cache_info().misses, _number_pattern.cache_info().hits) == (3, 3)


def test_templates_translate_with_the_renders_own_language_and_escape_what_goes_in(app):
    """Templates get gettext and ngettext bound to the render's translations: in the
    request's language, in a forced one (messages to others), with the values put in
    escaped and the plural chosen by the number."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = ("{{ _('Done') }}|{{ _('Done by %(name)s, %(moment)s', name=who, moment='x') }}|"
            "{{ ngettext('%(num)d service', '%(num)d services', n) }}")
    with app.test_request_context("/?lang=sv"):
        app.preprocess_request()
        done, by, services = render_template_string(page, who="<b>Bea</b>", n=1).split("|")
        assert done == "Klar"
        assert "&lt;b&gt;Bea&lt;/b&gt;" in by and "<b>" not in by
        assert services == "Tjänster: 1"
        with force_locale("fi"):
            assert render_template_string(page, who="", n=2).split("|")[0] == "Tehty"
        with force_locale("en"):
            assert render_template_string(page, who="", n=1).split("|")[2] == "1 service"
            assert render_template_string(page, who="", n=3).split("|")[2] == "3 services"


def test_user_language_is_stored(app, make_user):
    user = make_user(language="en")
    db.session.refresh(user)
    assert user.language == "en"
