"""The workload dashboard: per pair and per partner, for a period, counted from a rollup
table maintained on write (outreach.dashboard.rollup) and GROUP BY queries over indexed
columns, a fixed number of queries whatever the size of the data."""
