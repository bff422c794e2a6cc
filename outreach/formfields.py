"""Form pieces every domain uses: trimming, optional numbers, a date field that stays
valid HTML when the typed value is not a date."""

from flask_babel import gettext as _
from wtforms import DateField


def strip(value):
    return value.strip() if isinstance(value, str) else value


SEARCH_MAX = 200


def search_text(value):
    """A search term, trimmed and cut to SEARCH_MAX characters: a longer one finds nothing
    more, and SQLite refuses a LIKE pattern over 50,000 bytes (an error, not an answer)."""
    return value.strip()[:SEARCH_MAX] if isinstance(value, str) else value


# The database's INTEGER (ids, years): PostgreSQL refuses a larger number with an error.
INT_MAX = 2**31 - 1


def optional_int(value):
    """'' or None → None; a number → int; anything else, or a number no id can be, → -1,
    no valid choice, so the select refuses it with its own message."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if -INT_MAX <= number <= INT_MAX else -1


class DayField(DateField):
    """A date that never writes an impossible value back into <input type="date"> (that
    would be invalid HTML, and browsers drop it anyway): the error quotes what was typed
    instead, so the user still sees it."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            typed = " ".join(valuelist).strip()
            raise ValueError(
                _("Enter a valid date.") + " " + _("You entered: %(value)s", value=typed)
            ) from None

    def _value(self):
        return "" if self.process_errors else super()._value()
