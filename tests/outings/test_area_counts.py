"""Areas on the dashboard and the funder report: counts per area, 1 and 2 shown as "<3",
the pairs in the reader's scope only."""

import re

from outreach.core.time import local_today
from outreach.extensions import db
from tests import factories
from tests.outing_helpers import area, go_out, sign_in


def _cells(html: str, name: str) -> list[str]:
    row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', html, re.S)
    assert row, name
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_area_counts_with_small_numbers_suppressed(client, world):
    today = local_today()
    for _ in range(3):
        factories.make_encounter(world.pair, area="Kallio", area_id=area("Kallio").id,
                                 met_on=today)
    factories.make_encounter(world.pair, area="Pasila", area_id=area("Pasila").id, met_on=today)
    factories.make_encounter(world.other_pair, area="Kontula", met_on=today)  # another's
    go_out(world)
    db.session.commit()
    sign_in(client, world.supervisor)
    dashboard = client.get("/dashboard/?period=month&lang=en").get_data(as_text=True)
    assert _cells(dashboard, "Kallio") == ["3", "&lt;3"]
    assert _cells(dashboard, "Pasila") == ["&lt;3", "0"]
    assert "Kontula" not in dashboard
    report = client.get(f"/reports/funder?lang=en&year={today.year}").get_data(as_text=True)
    assert "Anonymous encounters and outings by area" in report
    assert "Kontula" not in report
    assert re.search(r"Kallio</t[hd]>\s*<td[^>]*>3</td>\s*<td[^>]*>&lt;3</td>", report), report[
        report.find("by area"):report.find("by area") + 800]
