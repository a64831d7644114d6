"""The equivalence check: the same calls eagerly and as a graph, compared call by call."""
