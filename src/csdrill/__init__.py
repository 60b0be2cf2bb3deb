"""csdrill: drills and flashcards for cross-border e-commerce customer service."""

__version__ = "0.1.0"
