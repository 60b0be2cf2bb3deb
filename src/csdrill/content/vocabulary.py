"""The closed word lists a deck may use, in their display order.

Kept apart from the model so the command line can name them in its help without importing it.
"""

TOPICS = ("regulation", "etiquette", "phrase", "scenario", "skill")
KINDS = ("fact", "truefalse", "phrase", "scenario")
REGISTERS = ("formal", "neutral", "informal")
