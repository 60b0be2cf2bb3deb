"""The closed word lists a deck may use, in their display order.

Kept apart from the model so the command line can name them in its help without importing it.
"""

TOPICS = ("regulation", "etiquette", "phrase", "scenario", "skill")
KINDS = ("fact", "truefalse", "phrase", "scenario")
REGISTERS = ("formal", "neutral", "informal")


def topic_label(topic: str) -> str:
    """The topic's name in the interface language (the code itself stays in JSON and options)."""
    from csdrill.i18n import _

    labels = {"regulation": _("regulation"), "etiquette": _("etiquette"), "phrase": _("phrase"),
              "scenario": _("scenario"), "skill": _("skill")}
    return labels.get(topic, topic)
