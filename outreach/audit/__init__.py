"""The access log: who read or changed which part of a client's data, and her own data."""
