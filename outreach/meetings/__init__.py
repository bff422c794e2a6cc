"""Pair meetings: start-up, planning, debrief, supervision (työnohjaus) and other meetings
of a pair, their notes both partners edit, and the actions agreed in them as tasks."""
