"""The funder report: what the work reached, counts only (issue 8)."""
