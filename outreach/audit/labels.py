"""Names of the log's parts, actions, bases and outcomes in the reader's language."""

from flask_babel import lazy_gettext as _l

from outreach.core.records import log_parts

# The parts that are no kind of record's; each kind names its own (RecordKind.log_parts).
OWN_PART_NAMES = {
    "timeline": _l("Timeline"),
    "draft": _l("Unsaved drafts"),
    "export": _l("Export of her data"),
    "access_log": _l("Access log"),
    "client_list": _l("Client list"),  # an export of the client list (outreach/exports.py)
}


def part_names() -> dict:
    """Every part's name: the registered kinds' parts, then the log's own."""
    return {**log_parts(), **OWN_PART_NAMES}


def part_name(part: str | None) -> str:
    return name_of(part_names(), part)


ACTION_NAMES = {
    "read": _l("Read"),
    "create": _l("Added"),
    "update": _l("Changed"),
    "delete": _l("Removed"),
    "export": _l("Exported"),
    "anonymise": _l("Anonymised"),
}

BASIS_NAMES = {
    "own_pair": _l("Own pair"),
    "consultation": _l("Consultation"),
    "system": _l("System"),
}

OUTCOME_NAMES = {
    "allowed": _l("Allowed"),
    "denied": _l("Denied"),
}


def name_of(names: dict, value: str | None) -> str:
    if value is None:
        return ""
    return str(names.get(value, value.replace("_", " ")))
