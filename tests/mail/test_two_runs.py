"""Two `outreach notify` processes started together (real subprocesses, the clock moved
with TYOPARI_NOW) send each message once: the unique key decides which one sends it."""

import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from outreach.core.clock import set_now
from outreach.extensions import db
from outreach.mail.models import MailMessage
from outreach.outings.queries import mark_partner_alerted
from tests.outing_helpers import go_out

MOMENT = datetime.combine(datetime(2026, 12, 7).date(), time(9, 30),
                          tzinfo=ZoneInfo("Europe/Helsinki"))  # a Monday, after 7


def test_two_runs_at_once_send_each_message_once(app, world, smtp, tmp_path):
    set_now(MOMENT - timedelta(minutes=100))
    go_out(world, minutes=10)  # past the first grace at MOMENT: the partner's alert
    earlier = go_out(world, worker=world.professional, minutes=10)
    mark_partner_alerted(earlier, MOMENT - timedelta(minutes=40))  # the supervisor's
    set_now(None)
    db.session.commit()
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "TEST_DATABASE_URL"}}
    env.update(DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="two-runs",
               INSTANCE_PATH=str(tmp_path / "instance"), SMTP_URL=smtp.url,
               TYOPARI_NOW=MOMENT.isoformat(), PYTHONUNBUFFERED="1")
    outreach = str(Path(sys.executable).parent / "outreach")
    runs = [subprocess.Popen([outreach, "notify"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    received = Counter(smtp.inbox.sent_keys())
    assert received and max(received.values()) == 1, received
    db.session.expire_all()
    keys = set(db.session.scalars(sa.select(MailMessage.key)))
    assert keys == set(received)
    # The outing's partner and supervisor alerts, the partners' and supervisors' digests.
    kinds = Counter(key.split(":")[0] for key in keys)
    assert kinds["outing"] == 2 and kinds["daily"] == 4 and kinds["weekly"] == 2, kinds
    assert db.session.scalar(sa.select(sa.func.count()).where(
        MailMessage.sent_at.is_(None))) == 0
    # A third run finds nothing left to send.
    third = subprocess.run([outreach, "notify"], env=env, capture_output=True, text=True,
                           timeout=120, check=True)
    assert "sent 0" in third.stdout
    assert Counter(smtp.inbox.sent_keys()) == received
