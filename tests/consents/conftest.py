from datetime import timedelta

import pytest

from outreach.core.time import local_today
from tests.factories import make_agreement, make_client


@pytest.fixture
def pair(make_pair):
    """A working pair whose expert has signed the confidentiality agreement."""
    pair = make_pair()
    make_agreement(pair, confidentiality_signed_on=local_today() - timedelta(days=20))
    return pair


@pytest.fixture
def other_pair(make_pair):
    pair = make_pair()
    make_agreement(pair, confidentiality_signed_on=local_today() - timedelta(days=20))
    return pair


@pytest.fixture
def her(pair):
    """A client of the pair, without any consent yet."""
    return make_client(pair, name="Maija")
