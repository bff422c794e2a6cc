"""Dates and times in each language's own conventions (Finnish: 23.11.2026 klo 14.05)."""

from datetime import date, datetime, time
from functools import lru_cache

from babel import Locale, dates, numbers
from babel.dates import format_time
from flask import Flask
from flask_babel import format_datetime, get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

PATTERNS = {
    "fi": {"date": "d.M.yyyy", "datetime": "d.M.yyyy 'klo' H.mm", "time": "H.mm"},
    "sv": {"date": "d MMM y", "datetime": "d MMM y 'kl.' HH:mm", "time": "HH:mm"},
    "en": {"date": "d MMM y", "datetime": "d MMM y, HH:mm", "time": "HH:mm"},
}


def _patterns() -> dict[str, str]:
    return PATTERNS.get(str(get_locale()), PATTERNS["fi"])


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, _patterns()["date"])
    return _day_text(get_locale(), value)


@lru_cache(maxsize=8192)
def _day_text(locale: Locale, value: date) -> str:
    """A day in a language, formatted once per worker: list pages show the same few
    hundred days over and over (due dates, last contacts), and Babel's formatting is the
    slow part of each row. A date has no time zone, so nothing else changes the text."""
    return dates.format_date(value, PATTERNS.get(str(locale), PATTERNS["fi"])["date"],
                             locale=locale)


@lru_cache(maxsize=32)
def _number_pattern(pattern: str) -> numbers.NumberPattern:
    """A number pattern parsed once per worker: Babel parses it again on every call, and a
    dashboard of many pairs formats hundreds of numbers."""
    return numbers.parse_pattern(pattern)


def format_number(value, pattern: str) -> str:
    """A number in the user's language by a Babel pattern ("#,##0.0", "#,##0 %"): what
    flask_babel's format_decimal and format_percent do with a pattern given."""
    return _number_pattern(pattern).apply(value, get_locale())


def format_moment(value: datetime | None) -> str:
    return "" if value is None else format_datetime(value, _patterns()["datetime"])


def format_clock(value: datetime | None) -> str:
    return "" if value is None else format_datetime(value, _patterns()["time"])


def format_time_of_day(value: time | None) -> str:
    """A time of day (datetime.time) in the user's language: 14.30 in Finnish."""
    return "" if value is None else format_time(value, _patterns()["time"], locale=get_locale())


def bound_gettext() -> dict:
    """`gettext` and `ngettext` for one template render, bound to the translations of the
    locale in force (force_locale included): the ones Flask-Babel installs look the
    translations up through a handful of context-local lookups on every call, which a
    page makes dozens to hundreds of times. Given in the render's context, they shadow the
    installed ones there; imported macros still use those. Like Jinja's own new-style
    gettext: the message is markup-safe when autoescaping, and always a format string."""
    translations = get_translations()

    @pass_context
    def gettext(context, string, **variables):
        message = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            message = Markup(message)  # noqa: S704 - our own catalogue's message, as in Jinja
        return message % variables

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        message = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            message = Markup(message)  # noqa: S704 - our own catalogue's message, as in Jinja
        return message % variables

    return {"gettext": gettext, "ngettext": ngettext}


def register(app: Flask) -> None:
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["clock"] = format_clock
