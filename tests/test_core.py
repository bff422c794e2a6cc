"""The core at the bottom and the scope above it: what they may import, and the time helpers
every domain now shares (one home each, so one test each)."""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask_wtf import FlaskForm

from outreach.core.forms import ClockField, DayField
from outreach.core.search import like
from outreach.core.time import (
    aware,
    day_start_utc,
    days_since,
    local_day,
    local_day_bounds,
    to_local,
    to_utc,
    year_bounds_utc,
)

PACKAGE = Path(__file__).resolve().parent.parent / "outreach"


def outreach_imports(path: Path) -> set[str]:
    """Every outreach module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] == "outreach")
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").glob("*.py")), ids=lambda p: p.name)
def test_core_imports_nothing_above_it(path):
    above = {name for name in outreach_imports(path)
             if not name.startswith("outreach.core") and name != "outreach.extensions"}
    assert above == set(), f"{path.name} reaches up into {sorted(above)}"


def test_the_scope_imports_no_domain_that_supplies_it():
    """Consultations supply the supervisor's client scope; the scope does not import them
    (nor any other domain above pairs, clients, audit and auth)."""
    allowed = {"outreach.audit.log", "outreach.auth.models", "outreach.clients.models",
               "outreach.pairs.models", "outreach.extensions"}
    imported = {name for name in outreach_imports(PACKAGE / "scope.py")
                if not name.startswith("outreach.core")}
    assert imported <= allowed, sorted(imported - allowed)


def test_local_days_follow_helsinki_not_utc(app):
    with app.app_context():
        # 23:30 UTC on 6 December is already 7 December in Helsinki (UTC+2 in winter).
        late = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
        assert local_day(late) == date(2026, 12, 7)
        assert local_day(late.replace(tzinfo=None)) == date(2026, 12, 7)  # SQLite: no zone
        assert days_since(late, today=date(2026, 12, 9)) == 2
        assert days_since(None) is None
        # The zone's real offset, never the local mean time a pytz zone as tzinfo= gives.
        assert day_start_utc(date(2026, 12, 7)) == datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
        assert day_start_utc(date(2026, 7, 1)) == datetime(2026, 6, 30, 21, 0, tzinfo=UTC)
        assert local_day_bounds(date(2026, 3, 29)) == (  # summer time starts that night
            datetime(2026, 3, 28, 22, 0, tzinfo=UTC), datetime(2026, 3, 29, 21, 0, tzinfo=UTC))
        assert year_bounds_utc(2026) == (datetime(2025, 12, 31, 22, 0, tzinfo=UTC),
                                         datetime(2026, 12, 31, 22, 0, tzinfo=UTC))
        typed = to_utc(datetime(2026, 12, 7, 9, 30))
        assert typed == datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
        assert to_local(typed.replace(tzinfo=None)).hour == 9


def test_aware_reads_stored_moments_as_utc():
    assert aware(None) is None
    assert aware(datetime(2026, 1, 1, 12, 0)) == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_like_takes_wildcards_literally():
    assert like("50%_off\\") == "%50\\%\\_off\\\\%"


def test_impossible_dates_and_times_are_quoted_not_written_back(app):
    class Form(FlaskForm):
        day = DayField()
        at = ClockField()

    with app.test_request_context(method="POST", data={"day": "31.2.2026", "at": "25:99"}):
        form = Form(meta={"csrf": False})
        assert not form.validate()
        assert "31.2.2026" in form.day.errors[0] and form.day._value() == ""
        assert "25:99" in form.at.errors[0] and form.at._value() == ""
