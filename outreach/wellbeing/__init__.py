"""Well-being check-ins: the experience expert says how heavy the work feels and whether
she wants to talk; the professional of the pair acknowledges it ("we talked on ...");
the supervisor sees only how many wait unacknowledged and for how long."""
