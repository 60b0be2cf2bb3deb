"""Drilling: scheduling, the quiz session, questions and grading. Pure logic; time is passed in."""
