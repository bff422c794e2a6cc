"""The sections of her page: each registered kind of record declares its own
(RecordKind.sections, see outreach/core/records.py); the client page renders each one's
template with what it loads. Loaders must run a fixed number of queries (the client page's
query count is tested).

The page loads her record, every section's `figures` and `joined` row and the page's own
figures in ONE query (`HerPage.load`), then each section's context."""

from typing import Any

from sqlalchemy import Select

from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.clients.queries import merged_codes_column, merged_codes_of
from outreach.core.records import Section, sections
from outreach.extensions import db
from outreach.scope import reads_only

__all__ = ["HerPage", "Section", "shown_to"]


def shown_to(user: User) -> list[Section]:
    reader = reads_only(user)
    return [section for section in sections() if section.for_readers or not reader]


class HerPage:
    """Her page's sections for this user, loaded with her record."""

    def __init__(self, user: User):
        self.user = user
        self.sections = shown_to(user)
        self.figures: dict[str, dict[str, Any]] = {}
        self.joined: dict[str, Any] = {}
        self.merged_codes: list[str] = []

    def load(self, query: Select) -> Client | None:
        """Her record from `query` (a select of Client, already scoped), with what the
        sections declare: one query."""
        names: list[tuple[str, str, str]] = []  # (section, figure, label)
        joined: list[tuple[str, Any]] = []  # (section, entity)
        options, order_by = [], []
        columns = [merged_codes_column(Client.id).label("merged_codes")]
        for section in self.sections:
            if section.figures is not None:
                for name, column in section.figures(Client.id).items():
                    label = f"f{len(names)}"
                    names.append((section.name, name, label))
                    columns.append(column.label(label))
            if section.joined is not None:
                spec = section.joined(Client.id)
                query = spec.join_lists(query.outerjoin(spec.model, spec.onclause))
                joined.append((section.name, spec.model))
                options.extend(spec.options)
                order_by.extend(spec.order_by)
        query = query.add_columns(*columns, *(entity for _name, entity in joined))
        if options:
            query = query.options(*options)
        if order_by:
            query = query.order_by(*order_by)
        row = db.session.execute(query).unique().first()
        if row is None:
            return None
        values = row._mapping
        for section_name, name, label in names:
            self.figures.setdefault(section_name, {})[name] = values[label]
        for index, (section_name, _entity) in enumerate(joined):
            self.joined[section_name] = row[len(row) - len(joined) + index]
        self.merged_codes = merged_codes_of(values["merged_codes"])
        return row[0]

    def contexts(self, client: Client) -> list[tuple[Section, dict]]:
        """Each section with its context, from what `load` found and the section's loader."""
        loaded = []
        for section in self.sections:
            if section.rows is not None:
                rows = section.rows([client.id]).get(client.id)
            elif section.figures is not None or section.joined is not None:
                rows = dict(self.figures.get(section.name, {}))
                if section.joined is not None:
                    rows["joined"] = self.joined.get(section.name)
            else:
                rows = None
            loaded.append((section, section.context(client, self.user, rows)))
        return loaded
