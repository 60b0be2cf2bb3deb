"""The sync at the end of a quiz or an exam: short, and never a reason for the session to fail."""

from __future__ import annotations

import sys

from csdrill.team.conninfo import SESSION_END_TIMEOUT_S, team_dsn


def sync_after_session(user: str) -> None:
    """Sync this machine's answers when CSDRILL_TEAM_DB is set; on any failure print one warning line.

    The answers are already committed locally, so a failure here loses nothing: the exit code of the
    session stays what it was, and the next `csdrill sync` (or session) sends them.
    """
    dsn = team_dsn()
    if dsn is None:
        return
    try:
        from csdrill.store import Store
        from csdrill.team.sync import sync

        with Store() as store:
            sync(store, dsn, users=[user], timeout_s=SESSION_END_TIMEOUT_S)
    except Exception as err:
        from csdrill.team.conninfo import masked

        reason = getattr(err, "reason", None) or (str(err).splitlines()[0] if str(err) else type(err).__name__)
        from csdrill.i18n import _

        print("csdrill: " + _("not synced with the team database ({reason}); answers saved here, "
                              "the next `csdrill sync` will send them").format(reason=masked(reason, dsn)),
              file=sys.stderr)
