"""Safe outings: a partner going out alone or with a colleague records where (an area from
the list the administrator keeps, never an address or a woman's name) and when she expects
to be back; an outing past its return alerts the partner, then the pair's supervisor."""
