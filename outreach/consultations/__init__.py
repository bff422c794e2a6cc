"""Consultations: the pair's professional opens one client's record to the pair's supervisor
for a few days, with a reason; the supervisor reads it (never edits), every read is logged
with the basis "consultation", and the pair sees the consultation and its reads on her page."""
