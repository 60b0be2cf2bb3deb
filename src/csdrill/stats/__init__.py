"""Progress figures for `csdrill stats`: pure functions of a review summary, the content and a moment."""

from csdrill.stats.figures import LEECH_LAPSES, Stats, compute_stats, market_scope
from csdrill.stats.summary import ReviewSummary, read_summary, summarise

__all__ = ["LEECH_LAPSES", "ReviewSummary", "Stats", "compute_stats", "market_scope", "read_summary", "summarise"]
