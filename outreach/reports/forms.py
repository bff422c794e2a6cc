"""The funder report's choices: a year or a custom period, and the pairs."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from outreach.consents.forms import CheckboxListField
from outreach.core.forms import DayField, optional_int
from outreach.reports.queries import Period

FIRST_YEAR = 2020
LONGEST_PERIOD_DAYS = 366 * 5


class FunderReportForm(FlaskForm):
    """Read from the query string (GET, no CSRF): the page and its XLSX take the same."""

    class Meta:
        csrf = False

    year = SelectField(_l("Year"), coerce=optional_int, validators=[Optional()],
                       validate_choice=False)
    start = DayField(_l("From"), validators=[Optional()])
    end = DayField(_l("To"), validators=[Optional()])
    pairs = CheckboxListField(_l("Pairs"), coerce=int, validate_choice=False)

    def __init__(self, *args, today: date, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.year.choices = [(y, str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)]
        self.pairs.choices = [(pair.id, pair.label) for pair in pairs]
        if self.year.data is None or self.year.raw_data in (None, [], [""]):
            self.year.data = today.year - 1  # the last full year
        if not self.pairs.raw_data:
            # None ticked (or the page opened without choices): every pair the user can see.
            self.pairs.data = [pair.id for pair in pairs]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.year.data not in {value for value, _label in self.year.choices}:
            self.year.errors.append(_l("Choose a year from the list."))
            return False
        start, end = self.start.data, self.end.data
        if self.start.errors or self.end.errors:
            return False
        if bool(start) != bool(end):
            missing = self.end if start else self.start
            missing.errors.append(_l("Give both the first and the last day of the period."))
            return False
        if start and end:
            if end < start:
                self.end.errors.append(_l("The last day cannot be before the first day."))
                return False
            if (end - start).days > LONGEST_PERIOD_DAYS:
                self.end.errors.append(_l("Choose a period of at most five years."))
                return False
        return valid

    @property
    def period(self) -> Period:
        if self.start.data and self.end.data:
            return Period(self.start.data, self.end.data)
        year = self.year.data
        return Period(date(year, 1, 1), date(year, 12, 31), year=year)
