"""The two English texts of typer's help that it does not look up with gettext: the "Usage:" prefix
and the help of the `--help` option. Each command gets classes that translate them; every other
label typer prints ("Options", "Commands" …) is translated by typer itself (see framework_messages).

Only public typer names are used: `typer.Context` (its `formatter_class`) and `typer.core`'s command
and group classes, which typer documents for `cls=`.
"""

from __future__ import annotations

import typer
import typer.core

from csdrill.i18n import _


class _Formatter(typer.Context.formatter_class):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class _Context(typer.Context):
    formatter_class = _Formatter


def _translated_help_option(option):
    if option is not None:
        option.help = _("Show this message and exit.")
    return option


class Command(typer.core.TyperCommand):
    context_class = _Context

    def get_help_option(self, ctx):
        return _translated_help_option(super().get_help_option(ctx))


class Group(typer.core.TyperGroup):
    context_class = _Context

    def get_help_option(self, ctx):
        return _translated_help_option(super().get_help_option(ctx))


def translate_help_labels(app: typer.Typer) -> None:
    """Give `app`, its commands and its sub-apps the translating classes, where they have typer's own
    (`@app.command()` records typer's default class; one given with `cls=` is kept)."""
    if not _own_class(app.info.cls, typer.core.TyperGroup):
        app.info.cls = Group
    for command in app.registered_commands:
        if not _own_class(command.cls, typer.core.TyperCommand):
            command.cls = Command
    for group in app.registered_groups:
        translate_help_labels(group.typer_instance)


def _own_class(cls, default: type) -> bool:
    return isinstance(cls, type) and issubclass(cls, default) and cls is not default
