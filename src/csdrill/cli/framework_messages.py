"""Messages typer prints itself, listed so Babel extracts them into csdrill's catalog.

typer looks them up with the standard gettext functions in the active domain, which
csdrill.i18n.activate sets to csdrill's; nothing imports this module at run time.
"""

from csdrill.i18n import N_

TYPER_MESSAGES = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Error"),
    N_("Aborted."),
    N_("Aborted!"),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("(deprecated) "),
    N_("(dynamic)"),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Missing command."),
    N_("No such command {name!r}."),
)
