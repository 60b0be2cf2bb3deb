"""Progress figures for `csdrill stats`: pure functions of a review summary, the content and a moment."""

from csdrill.stats.figures import LEECH_LAPSES, MASTERED_STABILITY_DAYS, Stats, compute_stats, is_mastered, market_scope
from csdrill.stats.summary import ReviewSummary, read_summary, summarise

__all__ = ["LEECH_LAPSES", "MASTERED_STABILITY_DAYS", "ReviewSummary", "Stats", "compute_stats", "is_mastered",
           "market_scope", "read_summary", "summarise"]
