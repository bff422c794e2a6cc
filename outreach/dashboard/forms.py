"""The dashboard's GET filter: the period (this week, month, quarter, year, or from–to) and
the pairs to show."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from outreach.core.forms import DayField, record_id, search_text

PERIODS = ("week", "month", "quarter", "year", "custom")
PERIOD_NAMES = {
    "week": _l("This week"),
    "month": _l("This month"),
    "quarter": _l("This quarter"),
    "year": _l("This year"),
    "custom": _l("From–to"),
}
DEFAULT_PERIOD = "month"
# A custom period is at most this long (the strain trend counts months inside it).
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def period_of(kind: str, today: date, first: date | None = None,
              last: date | None = None) -> Period:
    """The calendar period containing `today` (Monday–Sunday, the month, the quarter, the
    year), or the custom days given."""
    if kind == "week":
        monday = today - timedelta(days=today.weekday())
        return Period(kind, monday, monday + timedelta(days=6))
    if kind == "quarter":
        start_month = 3 * ((today.month - 1) // 3) + 1
        start = date(today.year, start_month, 1)
        return Period(kind, start, _month_end(date(today.year, start_month + 2, 1)))
    if kind == "year":
        return Period(kind, date(today.year, 1, 1), date(today.year, 12, 31))
    if kind == "custom" and first and last:
        return Period(kind, first, last)
    start = date(today.year, today.month, 1)
    return Period("month", start, _month_end(start))


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_starts(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s month to `last`'s month."""
    months = []
    month = date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


class DashboardFilterForm(FlaskForm):
    """Never submitted as a POST: no CSRF token."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), validators=[Optional()], validate_choice=False)
    start = DayField(_l("From"), validators=[Optional()])
    end = DayField(_l("To"), validators=[Optional()])
    pair = SelectMultipleField(_l("Pairs"), coerce=record_id, validators=[Optional()],
                               validate_choice=False)
    # The overview's rows: a pair whose partners' names hold this (any case).
    q = SearchField(_l("Search pairs by name"), filters=[search_text], validators=[Optional()])

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = [SelectChoice(value, PERIOD_NAMES[value]) for value in PERIODS]
        if self.period.data not in PERIODS:
            self.period.data = DEFAULT_PERIOD
        self.pair.choices = [SelectChoice(pair.id, pair.label) for pair in pairs]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.period.data != "custom":
            return valid
        start, end = self.start, self.end
        if start.data is None and not start.errors:
            start.errors.append(_l("Enter the first day of the period."))
        if end.data is None and not end.errors:
            end.errors.append(_l("Enter the last day of the period."))
        if start.data and end.data:
            if end.data < start.data:
                end.errors.append(_l("The last day cannot be before the first day."))
            elif (end.data - start.data).days >= MAX_CUSTOM_DAYS:
                end.errors.append(_l("Choose a period of at most three years."))
        return valid and not start.errors and not end.errors

    def chosen_period(self, today: date) -> Period:
        return period_of(self.period.data, today, self.start.data, self.end.data)
