from datetime import date, timedelta

from tests.factories import make_task
from tests.mappings.helpers import sign_in


def test_smoke(client, world):
    today = date.today()
    make_task(world.pair, title="Soita Kelaan", due_on=today - timedelta(days=2),
              client_id=world.client.id)
    make_task(world.pair, title="Tänään", due_on=today)
    sign_in(client, world.professional)
    for url in ["/tasks/?lang=en", "/tasks/new", "/tasks/week", f"/tasks/week?pair={world.pair.id}",
                "/tasks/1/edit", "/tasks/1/drop", "/", f"/clients/{world.client.id}",
                f"/clients/{world.client.id}/timeline"]:
        r = client.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[-3000:])
    print(client.get(f"/tasks/week?pair={world.pair.id}&lang=en").get_data(as_text=True))
