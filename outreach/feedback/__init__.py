"""Mutual feedback: either partner gives the other feedback on a situation or asks for it;
one thread per pair, readable by the two partners only."""
