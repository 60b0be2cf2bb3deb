"""Terminal output and prompts. Shows and asks; never decides domain logic."""
