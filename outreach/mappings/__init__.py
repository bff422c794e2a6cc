"""Situation mappings (kartoitus): dated snapshots of a woman's situation over the ten
life domains, made by the professional and read by the pair; never overwritten."""
