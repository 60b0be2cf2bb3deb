"""The interface language, chosen once at start-up and served through the standard gettext functions.

csdrill's messages, and the few that typer prints itself ("Usage", "Options" …), are looked up in the
`csdrill` gettext domain. Catalogs live beside the package in `locale/<lang>/LC_MESSAGES/csdrill.po`
(sources, edited with Babel or any PO editor) and are compiled to `.mo` when the wheel is built.
What scripts read — JSON keys and values, CSV headers, exit codes, command and option names — is never
translated.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "csdrill"
LANGUAGES = ("en", "zh")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def choose_language(argv: list[str], environ) -> str:
    """`--lang`, else CSDRILL_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else English."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            return _known(argv[index + 1])
        if arg.startswith("--lang="):
            return _known(arg.split("=", 1)[1])
    if environ.get("CSDRILL_LANG", "").strip():
        return _known(environ["CSDRILL_LANG"])
    for name in _LOCALE_VARIABLES:
        value = environ.get(name, "").strip()
        if value:  # the first one set decides, as in POSIX locale lookup
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _known(value: str) -> str:
    value = value.strip().lower().replace("_", "-")
    if value.startswith("zh"):
        return "zh"
    return "en"


_catalog: gettext.NullTranslations | None = None


def activate(language: str) -> None:
    """Make gettext (ours and typer's) answer in `language` for the rest of this process."""
    global _catalog
    # gettext.gettext reads LANGUAGE first; setting it here also covers the strings typer and its
    # bundled click translate with the global domain at import time.
    os.environ["LANGUAGE"] = language
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    _catalog = None
    if language == "zh":  # help, tables and views wrap Chinese between characters, not only at spaces
        from csdrill.ui.line_breaks import allow_breaks_between_wide_characters

        allow_breaks_between_wide_characters()


def _messages() -> gettext.NullTranslations:
    """The catalog, found once: gettext.dgettext would search the file system for it at every message."""
    global _catalog
    if _catalog is None:
        _catalog = gettext.translation(DOMAIN, str(LOCALE_DIR), fallback=True)
    return _catalog


def current() -> str:
    """The active interface language."""
    return _known(os.environ.get("LANGUAGE", "en"))


def _(message: str) -> str:
    """The message in the interface language (the message itself when there is no translation)."""
    return _messages().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _messages().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (it is translated where shown)."""
    return message


class Phrase(str):
    """A message shown in the interface language that also remembers its English.

    Lint problems are read by people (in their language) and by scripts through `--json` (always in
    English, like every JSON value): a Phrase is the translated text and carries `.english`."""

    english: str

    def __new__(cls, message: str, /, **args) -> Phrase:
        local = _(message).format(**args)
        self = super().__new__(cls, local)
        self.english = message.format(**{name: getattr(value, "english", value) for name, value in args.items()})
        return self


def say(message: str, /, **args) -> Phrase:
    """`message` (marked with N_ where it is written) with its named arguments, in both languages."""
    return Phrase(message, **args)
