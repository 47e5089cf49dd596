"""The graph stage: typed edges assembled into a networkx MultiDiGraph, plus layout,
metrics and projections used by the Gephi and HTML exports. Never imports spaCy."""
