"""Migration 0005: the areas are seeded, and anonymous encounters recorded with a free-text
place point to the area of that name, or keep the place as "other: <place>"."""

import sqlalchemy as sa
from flask_migrate import upgrade

from outreach.extensions import db

USER = ("INSERT INTO user_account (id, email, name, role, language, active, password_hash, "
        "must_change_password, session_token, created_at) VALUES (:id, :email, 'N', :role, "
        "'fi', TRUE, 'x', FALSE, :token, '2026-01-01 00:00:00')")


def test_free_text_places_become_areas_or_other(cli_app):
    with cli_app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as conn:
            for id_, role in ((1, "professional"), (2, "expert")):
                conn.execute(sa.text(USER), {"id": id_, "email": f"u{id_}@example.test",
                                             "role": role, "token": f"t{id_}"})
            conn.execute(sa.text(
                "INSERT INTO pair (id, professional_id, expert_id, starts_on, created_at, "
                "no_contact_days) VALUES (1, 1, 2, '2026-01-01', '2026-01-01 00:00:00', 14)"))
            for id_, place in ((1, "kallio "), (2, "Asema-aukio")):
                conn.execute(sa.text(
                    "INSERT INTO anonymous_encounter (id, pair_id, met_on, area, age_group, "
                    "topics, people_count, met_by, created_at, version) VALUES (:id, 1, "
                    "'2026-02-01', :area, 'unknown', '[]', 1, 'both', "
                    "'2026-02-01 12:00:00', 1)"), {"id": id_, "area": place})
        upgrade()
        with db.engine.connect() as conn:
            areas = dict(conn.execute(sa.text("SELECT name, id FROM area")).all())
            rows = conn.execute(sa.text(
                "SELECT area, area_id FROM anonymous_encounter ORDER BY id")).all()
    assert len(areas) >= 30 and "Kallio" in areas
    assert [tuple(row) for row in rows] == [("Kallio", areas["Kallio"]),
                                            ("other: Asema-aukio", None)]
