"""The team database's address: read from CSDRILL_TEAM_DB, shown only with its password masked.

Masking is plain text work (no psycopg import), so any message can be scrubbed, even one about a
connection string psycopg could not parse. Passwords are never written anywhere by csdrill.
"""

from __future__ import annotations

import os
import re

from csdrill.errors import StateError
from csdrill.i18n import _

ENV = "CSDRILL_TEAM_DB"
MASK = "***"
CONNECT_TIMEOUT_S = 10
SESSION_END_TIMEOUT_S = 3  # the sync at the end of a quiz or exam must not keep the learner waiting

_URI_PASSWORD = re.compile(r"(postgres(?:ql)?://[^:/@?#\s]*:)([^@/?#\s]*)(@)", re.IGNORECASE)
_PARAM_PASSWORD = re.compile(r"([?&]password=)([^&#\s]*)", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s']+)", re.IGNORECASE)


class TeamError(StateError):
    """The team database cannot be used (unreachable, not initialised, no permission): exit 2.

    `reason` is a few words for a one-line warning ("Connection refused"); the message has the details.
    """

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message


def team_dsn() -> str | None:
    """CSDRILL_TEAM_DB, or None when this machine works alone."""
    return os.environ.get(ENV, "").strip() or None


def masked(text: str, dsn: str | None = None) -> str:
    """`text` with every password it may hold replaced by ***: URI, key=value and PGPASSWORD forms."""
    secrets = [os.environ.get("PGPASSWORD", "")]
    for source in (text, dsn or ""):
        secrets += [m.group(2) for m in _URI_PASSWORD.finditer(source)]
        secrets += [m.group(2) for m in _PARAM_PASSWORD.finditer(source)]
        secrets += [m.group(2).strip("'") for m in _KEYWORD_PASSWORD.finditer(source)]
    text = _URI_PASSWORD.sub(rf"\g<1>{MASK}\g<3>", text)
    text = _PARAM_PASSWORD.sub(rf"\g<1>{MASK}", text)
    text = _KEYWORD_PASSWORD.sub(rf"\g<1>{MASK}", text)
    for secret in sorted({s for s in secrets if len(s) >= 3 and s != MASK}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def connect(dsn: str, timeout_s: float = CONNECT_TIMEOUT_S):
    """A psycopg connection to the team database, or TeamError with the address masked."""
    try:
        import psycopg
    except ImportError:
        raise TeamError(_("{env} is set but the PostgreSQL driver is missing: "
                          "pip install 'csdrill[team]' (or unset it to work on this machine alone)").format(
            env=ENV)) from None
    import random
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return psycopg.connect(dsn, connect_timeout=max(1, round(timeout_s)), application_name="csdrill",
                                   autocommit=True)
        except psycopg.Error as err:
            # A full server (many agents ending a session at once) is worth a few short waits.
            if _server_full(err) and time.monotonic() < deadline:
                time.sleep(random.uniform(0.05, 0.4))
                continue
            message = _("cannot reach the team database {db}: {reason}").format(
                db=masked(dsn), reason=masked(_first_line(err), dsn))
            raise TeamError(message, masked(_short_reason(err), dsn)) from None


def _server_full(err: Exception) -> bool:
    text = str(err)
    return any(sign in text for sign in ("too many clients", "too many connections", "connection slots are reserved"))


def _short_reason(err: Exception) -> str:
    """libpq's own reason without the address it names: what follows its last "failed: "."""
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return first.rsplit("failed: ", 1)[-1].strip()


def _first_line(err: Exception) -> str:
    """libpq's message on one line (it puts the reason and a hint on separate lines)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return " ".join(lines) if lines else type(err).__name__
