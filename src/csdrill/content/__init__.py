"""Content: markets, decks, cards and quizzes, loaded from YAML with exact error locations."""
