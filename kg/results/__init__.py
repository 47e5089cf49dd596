"""Results: the numbers papers report (value, unit, metric, dataset, task, method, kind, baseline).

A pure stage after relations: it reads a paper's text, sentence spans,
mentions and relations, never spaCy, so it runs wherever the extraction
records are (another process, another machine).
"""

from __future__ import annotations

from kg.results.cues import bundled_cues, bundled_directions, rank_metrics
from kg.results.reader import find_results

__all__ = ["bundled_cues", "bundled_directions", "find_results", "rank_metrics"]
