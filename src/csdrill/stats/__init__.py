"""Progress figures for `csdrill stats`: pure functions of the review log, the content and a moment."""

from csdrill.stats.figures import LEECH_LAPSES, Stats, compute_stats

__all__ = ["LEECH_LAPSES", "Stats", "compute_stats"]
