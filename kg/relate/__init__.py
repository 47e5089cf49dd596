"""Relations: typed paper -> entity and entity -> entity statements read from sentences.

A pure stage between extraction and the graph: it needs the paper's text,
its sentence spans and its mentions, never spaCy, so it runs wherever the
extraction records are (another process, another machine).
"""

from __future__ import annotations

from kg.relate.relations import relate
from kg.relate.rules import RelationRules, bundled_rules, load_rules

__all__ = ["RelationRules", "bundled_rules", "load_rules", "relate"]
