"""Baseline exams: pick a quiz's questions from a seed, run them, score the attempt."""
