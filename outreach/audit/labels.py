"""Names of the log's parts, actions, bases and outcomes in the reader's language."""

from flask_babel import lazy_gettext as _l

PART_NAMES = {
    "record": _l("Her record"),
    "mapping": _l("Situation mappings"),
    "steps": _l("Challenges and steps"),
    "timeline": _l("Timeline"),
    "consent": _l("Consents"),
    "contacts": _l("Contacts"),
    "accompaniments": _l("Accompaniments"),
    "network": _l("Network contacts"),
    "tasks": _l("Tasks"),
    "draft": _l("Unsaved drafts"),
    "export": _l("Export of her data"),
    "access_log": _l("Access log"),
    "client_list": _l("Client list"),  # an export of the client list (outreach/exports.py)
}

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
