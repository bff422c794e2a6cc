"""Retention: closed records anonymised when the retention period runs out, or at once when
she withdraws her consent and asks for her details to be erased; backup and restore."""
