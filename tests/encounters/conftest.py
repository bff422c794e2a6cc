import pytest

from outreach.extensions import db
from outreach.outings.demo import load_areas


@pytest.fixture(autouse=True)
def areas(app):
    """The list of areas encounters choose from (migration 0005 seeds it)."""
    load_areas()
    db.session.commit()
