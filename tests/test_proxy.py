"""Behind a reverse proxy (PROXY_HOPS=1) the client's address comes from X-Forwarded-For,
so that per-address limits hit the client and not the proxy; without a proxy configured
the header is ignored (a client cannot pick its own address)."""

import pytest


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def attempt(client, forwarded_for: str) -> int:
    return client.post("/login", data={"email": "someone@example.test", "password": "x"},
                       headers={"X-Forwarded-For": forwarded_for}).status_code


@pytest.mark.parametrize(
    "app_config", [{"PROXY_HOPS": 1, "LOGIN_LIMIT_PER_ADDRESS": "2 per minute"}],
    indirect=True,
)
def test_behind_one_proxy_each_client_has_its_own_limit(client):
    assert [attempt(client, "198.51.100.7") for _ in range(3)] == [422, 422, 429]
    assert attempt(client, "198.51.100.8") == 422
    # A client's own X-Forwarded-For before the proxy's entry is not trusted.
    assert attempt(client, "203.0.113.1, 198.51.100.7") == 429


@pytest.mark.parametrize(
    "app_config", [{"LOGIN_LIMIT_PER_ADDRESS": "2 per minute"}], indirect=True
)
def test_without_a_proxy_the_header_is_ignored(client):
    codes = [attempt(client, f"198.51.100.{n}") for n in range(20, 23)]
    assert codes == [422, 422, 429]
