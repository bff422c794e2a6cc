"""The sign-in limit per account holds across gunicorn's workers, as `outreach run` serves
with its default two workers and the default `memory://` limiter storage.

Before the count moved into the database each worker counted its own five: fourteen wrong
passwords for one account within a minute got ten answers of 422 and only four of 429.
Now the sixth wrong password within a minute is refused whichever worker takes it, also
when all fourteen arrive at the same moment.
"""

import os

import pytest

from tests.load.conftest import report, served_app
from tests.load.users import Browser, Recorder, find_form, in_threads

pytestmark = pytest.mark.load

ATTEMPTS = 14


def wrong_password(base: str, recorder: Recorder, email: str) -> int:
    browser = Browser(base, recorder)
    form = find_form(browser.get("/login", "sign-in page").text, "/login")
    answer = browser.post("/login", form.data(email=email, password="not the password"),
                          "wrong password", expected=(422, 429))
    return answer.status


@pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")),
    reason="runs in the SQLite pass; the PostgreSQL pass runs the two-server test",
)
def test_the_sixth_wrong_password_is_refused_by_every_worker(tmp_path):
    recorder = Recorder()
    with served_app(tmp_path, f"sqlite:///{tmp_path / 'limits.db'}", workers=2,
                    RATELIMIT_STORAGE_URI="memory://") as served:
        one_by_one = [wrong_password(served.base, recorder, "pro1@demo.test")
                      for _ in range(ATTEMPTS)]
        statuses: list[int] = []
        errors = in_threads(
            lambda _n: statuses.append(wrong_password(served.base, recorder,
                                                      "pro2@demo.test")),
            range(ATTEMPTS), timeout=120)
        workers = {line.split("pid: ")[1].split("]")[0]
                   for line in served.log().splitlines() if "Booting worker" in line}
    report(f"sign-in limit, 2 workers, memory://: one by one {one_by_one.count(422)}×422 "
           f"{one_by_one.count(429)}×429; at once {statuses.count(422)}×422 "
           f"{statuses.count(429)}×429")
    assert not errors, errors[:3]
    assert len(workers) == 2, "gunicorn did not start two workers"
    assert one_by_one == [422] * 5 + [429] * (ATTEMPTS - 5)
    assert sorted(statuses) == [422] * 5 + [429] * (ATTEMPTS - 5)
