"""Evaluation forms of the pair (arviointilomake): rounds, own forms, joint review, summary."""
