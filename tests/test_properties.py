"""Properties that must hold for any input, not only the examples we thought of."""

from urllib.parse import urljoin, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from outreach.web import is_safe_next

# Printable text plus the characters that make URLs tricky.
url_text = st.lists(
    st.sampled_from(list("/\\:.@?#%&=abcxyz09 \t") + ["//", "http:", "javascript:", "%2F"]),
    max_size=20,
).map("".join)


@given(st.one_of(url_text, st.text(max_size=40)))
def test_next_never_leaves_the_site(target):
    if is_safe_next(target):
        # A browser resolving it against our own page stays on our host.
        resolved = urlsplit(urljoin("https://tyopari.example/login", target))
        assert resolved.netloc == "tyopari.example"
        assert resolved.scheme == "https"
