"""Her consent: what may be recorded about her and whom the pair may contact or tell."""
