"""Writes made on a phone without a connection and sent later (issue 16).

Each such write carries a key the phone made (`X-Replay-Key`, a UUID) and the moment she
tapped (`tapped_at`). `replayable` answers a repeated key from the same user with the
first result, so a queue sent twice never makes a second record; `tapped_at()` gives the
record the moment of the tap, refused when in the future or older than the session limit.
"""
