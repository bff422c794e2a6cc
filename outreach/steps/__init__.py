"""Challenges and steps: the pair breaks her challenges into small steps and records her
own decision on each (agreed, wants to think, declined); every decision is kept."""
