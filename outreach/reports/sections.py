"""The funder report as sections of tables, one layout for the page and the XLSX alike, so
that both show the same figures and suppress the same cells.

Each cell knows its kind: a count is shown as "<3" when it is 1 or 2 (`queries.shown`), a
mean only when it rests on at least three, hours and labels as they are.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach.core.formatting import format_number
from outreach.reports.queries import SMALL, FunderReport, mean_shown, shown

NO_VALUE = "–"


@dataclass(frozen=True)
class Cell:
    kind: str  # "label", "count", "hours", "mean", "change"
    value: object = None

    @property
    def sheet_value(self):
        """For the XLSX: a real number where one is shown, else the text shown."""
        match self.kind:
            case "count":
                return shown(int(self.value))
            case "hours":
                return round(self.value / 60, 2)
            case "mean" | "change":
                return NO_VALUE if self.value is None else round(self.value, 2)
        return str(self.value)

    @property
    def text(self) -> str:
        """For the page, in the user's language's number format."""
        match self.kind:
            case "count":
                return str(shown(int(self.value)))
            case "hours":
                return format_number(_tenths(Decimal(self.value) / 60), "0.0")
            case "mean":
                return NO_VALUE if self.value is None else \
                    format_number(_tenths(self.value), "0.0")
            case "change":
                return NO_VALUE if self.value is None else \
                    format_number(_tenths(self.value), "+0.0;-0.0")
        return str(self.value)

    @property
    def is_number(self) -> bool:
        return self.kind != "label"


def _tenths(value) -> Decimal:
    """Rounded as people round (1.25 → 1.3), not to the even digit."""
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def label(text) -> Cell:
    return Cell("label", str(text))


def count(n: int) -> Cell:
    return Cell("count", n)


def hours(minutes: int) -> Cell:
    return Cell("hours", minutes)


def mean(value: float | None, n: int) -> Cell:
    return Cell("mean", mean_shown(n, value))


def change(value: float | None, n: int) -> Cell:
    return Cell("change", mean_shown(n, value))


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    total: list[Cell] | None = None


@dataclass
class Section:
    key: str  # also the element id of the section on the page
    title: str
    tables: list[Table] = field(default_factory=list)
    note: str | None = None


def footnote() -> str:
    return _(
        "Counts of 1 or 2 are shown as \"<3\" (0 is shown as 0), in every table and in the "
        "XLSX file, so that no woman can be recognised from a small number; a mean is "
        "shown only when it rests on at least %(num)d women or answers. No names or client "
        "codes are included. Hours are the recorded durations (accompaniments with travel).",
        num=SMALL,
    )


def sections(report: FunderReport) -> list[Section]:
    return [s for s in (
        _reached(report), _areas(report), _contacts(report), _accompaniments(report),
        _living(report), _domains(report), _groups(report), _evaluation(report), _roles(report),
    ) if s is not None]


def _reached(report: FunderReport) -> Section:
    return Section("women-reached", _("Women reached"), [Table(
        _("Women reached in the period"),
        [_("Figure"), _("Number")],
        [
            [label(_("Women with consent met in a contact or an accompaniment")),
             count(report.women_reached)],
            [label(_("Anonymous encounters")), count(report.encounters)],
            [label(_("People met in anonymous encounters")), count(report.encounter_people)],
        ],
    )])


def _areas(report: FunderReport) -> Section | None:
    """Where the work is (outreach.outings): counts per area, never a woman's place."""
    if not report.areas:
        return None
    return Section("areas", _("Areas"), [Table(
        _("Anonymous encounters and outings by area"),
        [_("Area"), _("Anonymous encounters"), _("Outings")],
        [[label(name), count(met), count(went)] for name, met, went in report.areas],
    )])


def _work_rows(rows) -> list[list[Cell]]:
    return [[label(row.label), count(row.count), hours(row.minutes)] for row in rows]


def _total(row) -> list[Cell]:
    return [label(_("Total")), count(row.count), hours(row.minutes)]


def _contacts(report: FunderReport) -> Section:
    return Section("contacts", _("Contacts"), [Table(
        _("Contacts by channel"), [_("Channel"), _("Contacts"), _("Hours")],
        _work_rows(report.contacts), _total(report.contacts_total),
    )])


def _accompaniments(report: FunderReport) -> Section:
    headers = [_("Accompaniments"), _("Hours")]
    return Section("accompaniments", _("Accompaniments"), [
        Table(_("Accompaniments by service kind"), [_("Service kind"), *headers],
              _work_rows(report.accompaniments_by_kind), _total(report.accompaniments_total)),
        Table(_("Accompaniments by outcome"), [_("Outcome"), *headers],
              _work_rows(report.accompaniments_by_outcome), _total(report.accompaniments_total)),
    ])


def _living(report: FunderReport) -> Section:
    rows = [[label(t.before), label(t.after), count(t.count)] for t in report.transitions]
    return Section(
        "living-situation", _("Changes in living situation"),
        [Table(_("Living situation of the women reached: first and last known in the period"),
               [_("First known"), _("Last known"), _("Women")], rows,
               [label(_("Situation changed")), label(""), count(report.women_changed)])],
        note=_("The first known situation is the one recorded before the period began (for a "
               "record made during the period, the first one recorded); the last known is the "
               "last one recorded before the period ended."),
    )


def _domains(report: FunderReport) -> Section:
    rows = [[label(d.label), count(d.n), mean(d.first, d.n), mean(d.last, d.n),
             change(d.change, d.n)] for d in report.domains]
    return Section(
        "life-domains", _("Change in life domains"),
        [Table(_("Mean rating (1 = acute crisis, 5 = stable) at each woman's first and last "
                 "mapping of the period"),
               [_("Life domain"), _("Women"), _("First mapping"), _("Last mapping"),
                _("Mean change")], rows)],
        note=_("Only women mapped at least twice in the period, and rated in the domain both "
               "times."),
    )


def _groups(report: FunderReport) -> Section:
    return Section("groups", _("Peer-support groups"), [Table(
        _("Peer-support groups in the period"), [_("Figure"), _("Number")],
        [
            [label(_("Groups that met")), count(report.groups)],
            [label(_("Sessions held")), count(report.sessions)],
            [label(_("Participants in all")), count(report.participants)],
        ],
    )], note=_("Sessions whose number of participants is recorded; participants are counted "
               "per session."))


PART_TITLES = {
    "A": _l("Part A: both partners"),
    "B-expert": _l("Part B: experience experts"),
    "B-professional": _l("Part B: professionals"),
}


def _evaluation(report: FunderReport) -> Section | None:
    if report.evaluation is None:
        return None
    tables = []
    for part in report.evaluation:
        rows = [[label(f"{figures.item.number}. {figures.item.text}"), count(figures.n),
                 mean(figures.mean, figures.n)] for figures in part.statements]
        tables.append(Table(
            str(PART_TITLES[part.key]), [_("Statement"), _("Answers"), _("Mean")], rows,
            [label(_("Submitted forms")), count(part.forms), label("")],
        ))
    return Section(
        "evaluations", _("Evaluation summaries"), tables,
        note=_("Anonymous: the submitted evaluation forms of the rounds opened in the period "
               "(1 = strongly disagree, 5 = strongly agree)."),
    )


def _roles(report: FunderReport) -> Section:
    rows = [
        [label(role.label), count(role.contacts.count), hours(role.contacts.minutes),
         count(role.accompaniments.count), hours(role.accompaniments.minutes),
         hours(role.total.minutes)]
        for role in report.roles
    ]
    total = report.roles_total
    contacts, accompaniments = report.contacts_total, report.accompaniments_total
    return Section("roles", _("Hours by role"), [Table(
        _("Contacts and accompaniments by who of the pair took part"),
        [_("Who took part"), _("Contacts"), _("Contact hours"), _("Accompaniments"),
         _("Accompaniment hours"), _("Hours in all")],
        rows,
        [label(_("Total")), count(contacts.count), hours(contacts.minutes),
         count(accompaniments.count), hours(accompaniments.minutes), hours(total.minutes)],
    )])
