"""Forms of the client record: create, edit, close, merge, hand-over, and the list's filters."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from outreach.clients.choices import LIVING_SITUATION_NAMES, LivingSituation, choices
from outreach.core.editing import VersionField
from outreach.core.forms import DayField, optional_int, search_text, strip
from outreach.core.time import local_today

EARLIEST_BIRTH_YEAR = 1900
PHONE_CHARACTERS = set("0123456789+-()/. ")
NOTE_MAX = 5000


class YearField(IntegerField):
    """A four-digit year; a clear message instead of "Not a valid integer value", and a text
    input (numeric keypad on phones) so that a mistyped value comes back as typed."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the year with four digits, for example 1985.")) from None


def _birth_year_in_range(_form, field):
    if field.data is None:
        return
    this_year = local_today().year
    if not EARLIEST_BIRTH_YEAR <= field.data <= this_year:
        raise ValidationError(
            _l("Enter a year between %(first)d and %(last)d.", first=EARLIEST_BIRTH_YEAR,
               last=this_year)
        )


def _loose_phone(_form, field):
    """Any way of writing a number, as long as it is one: digits, spaces, + - ( ) / ."""
    value = field.data or ""
    digits = sum(ch.isdigit() for ch in value)
    if set(value) - PHONE_CHARACTERS or digits < 5:
        raise ValidationError(
            _l("Enter a phone number with at least five digits, for example 040 123 4567.")
        )


class ClientFields(FlaskForm):
    name = StringField(
        _l("Name she wants to be called"),
        validators=[DataRequired(_l("Enter the name she wants to be called.")),
                    Length(max=120, message=_l("Keep the name under %(max)d characters."))],
        filters=[strip],
    )
    birth_year = YearField(
        _l("Birth year (optional)"), validators=[Optional(), _birth_year_in_range],
        render_kw={"inputmode": "numeric"},
    )
    phone = StringField(
        _l("Phone (optional)"),
        validators=[Optional(), Length(max=40, message=_l("Keep the number under %(max)d "
                                                          "characters.")), _loose_phone],
        filters=[strip],
    )
    usual_place = StringField(
        _l("Where she can usually be found (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Keep this under %(max)d "
                                                           "characters."))],
        filters=[strip],
    )
    living_situation = SelectField(
        _l("Living situation"),
        choices=lambda: choices(LIVING_SITUATION_NAMES),
        default=LivingSituation.UNKNOWN.value,
        validate_choice=True,
        invalid_choice_message=_l("Choose a living situation from the list."),
    )
    safety_notes = TextAreaField(
        _l("Safety notes (visible to the pair only)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Keep the notes under "
                                                                "%(max)d characters."))],
        filters=[strip],
    )

    FIELDS = ("name", "birth_year", "phone", "usual_place", "living_situation", "safety_notes")

    def values(self) -> dict:
        """The submitted values as the model stores them (empty text is None)."""
        values = {name: self[name].data or None for name in self.FIELDS}
        values["birth_year"] = self.birth_year.data
        values["living_situation"] = LivingSituation(self.living_situation.data)
        return values


class NewClientForm(ClientFields):
    pair_id = SelectField(
        _l("Pair"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose the pair whose client she is."))],
        invalid_choice_message=_l("Choose one of your pairs."),
    )
    # Sent by the "Create anyway" button after the possible duplicates were shown.
    create_anyway = BooleanField()

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pair_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(pair.id, pair.label) for pair in pairs
        ]
        if len(pairs) == 1 and self.pair_id.data in (None, -1):
            self.pair_id.data = pairs[0].id


class EditClientForm(ClientFields):
    version = VersionField()


class CloseClientForm(FlaskForm):
    closed_on = DayField(
        _l("Closing date"),
        validators=[DataRequired(_l("Enter the closing date."))],
        invalid_value_message=_l("Enter a valid date."),
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Write why the record is closed.")),
                    Length(max=NOTE_MAX, message=_l("Keep the reason under %(max)d "
                                                    "characters."))],
        filters=[strip],
    )

    def validate_closed_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("The closing date cannot be in the future."))


class MergeForm(FlaskForm):
    other_id = HiddenField(filters=[optional_int])


class HandoverForm(FlaskForm):
    to_pair_id = SelectField(
        _l("Hand the clients over to"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose the pair that takes the clients over."))],
        invalid_choice_message=_l("Choose an active pair from the list."),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("Keep the note under "
                                                                "%(max)d characters."))],
        filters=[strip],
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.to_pair_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(pair.id, pair.label) for pair in targets
        ]


class ClientFilterForm(FlaskForm):
    """The list's GET form: never submitted as a POST, no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search by name, code or place"), filters=[search_text],
                    validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    living = SelectField(_l("Living situation"), validators=[Optional()], validate_choice=False)
    # A select, not a checkbox: active search reacts to a changed value, and a checkbox's
    # value stays the same when it is unticked.
    no_contact = SelectField(_l("Last contact"), validators=[Optional()], validate_choice=False)
    days = IntegerField(_l("Days without contact"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()], validate_choice=False)

    def __init__(self, *args, default_days: int | None = 14, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [
            SelectChoice("active", _l("Active")),
            SelectChoice("closed", _l("Closed")),
            SelectChoice("all", _l("Active and closed")),
        ]
        self.living.choices = [SelectChoice("", _l("Any living situation")),
                               *choices(LIVING_SITUATION_NAMES)]
        self.no_contact.choices = [
            SelectChoice("", _l("Any time")),
            SelectChoice("y", _l("Not in the number of days below")),
        ]
        if self.no_contact.data != "y":
            self.no_contact.data = ""
        self.sort.choices = [
            SelectChoice("name", _l("Name")),
            SelectChoice("code", _l("Code")),
            SelectChoice("oldest_contact", _l("Longest without contact first")),
            SelectChoice("newest_contact", _l("Latest contact first")),
        ]
        if self.status.data not in ("active", "closed", "all"):
            self.status.data = "active"
        if self.sort.data not in ("name", "code", "oldest_contact", "newest_contact"):
            self.sort.data = "name"
        if self.living.data not in set(LivingSituation):
            self.living.data = ""
        if self.days.process_errors or not self.days.data or not 1 <= self.days.data <= 3650:
            self.days.data = default_days
            self.days.raw_data = None
            self.days.process_errors = []

    def filters(self) -> dict:
        return {
            "q": self.q.data or "",
            "status": self.status.data,
            "living": self.living.data,
            "no_contact_days": self.days.data if self.no_contact.data == "y" else None,
            # Without one number of days for all, each pair's own setting counts.
            "no_contact": self.no_contact.data == "y",
            "sort": self.sort.data,
        }
