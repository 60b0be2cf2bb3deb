"""The English texts typer prints without looking them up with gettext: the "Usage:" prefix, the help
of the `--help` option and the usage errors of its bundled click ("No such option …", "Missing
argument …"). Each command gets classes that translate them; every other label typer prints
("Options", "Commands" …) is translated by typer itself (see framework_messages).

Only public typer names are used: `typer.Context` (its `formatter_class`) and `typer.core`'s command
and group classes, which typer documents for `cls=`.
"""

from __future__ import annotations

import re

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


# click's usage errors, as it words them, and the whole message each becomes.
_USAGE_ERRORS = (
    (re.compile(r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.+)\)"),
     lambda: _("No such option: {option} (possible options: {options})")),
    (re.compile(r"No such option: (?P<option>\S+)"), lambda: _("No such option: {option}")),
    (re.compile(r"Missing argument '(?P<name>.+)'\."), lambda: _("Missing argument '{name}'.")),
    (re.compile(r"Missing option '(?P<name>.+)'\."), lambda: _("Missing option '{name}'.")),
    (re.compile(r"Option '(?P<name>.+)' requires an argument\."),
     lambda: _("Option '{name}' requires an argument.")),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)"),
     lambda: _("Unexpected extra arguments: {args}")),
    (re.compile(r"Invalid value for (?P<name>.+?): (?P<reason>.*)", re.S),
     lambda: _("Invalid value for {name}: {reason}")),
)


# Why a value was refused, as typer words it (after "Invalid value for …:").
_REASONS = (
    (re.compile(r"Input should be a valid integer.*", re.S), lambda: _("a whole number is expected")),
    (re.compile(r"Input should be a valid number.*", re.S), lambda: _("a number is expected")),
    (re.compile(r"Input should be greater than or equal to (?P<limit>\S+)"),
     lambda: _("it must be at least {limit}")),
    (re.compile(r"Input should be less than or equal to (?P<limit>\S+)"),
     lambda: _("it must be at most {limit}")),
    (re.compile(r"'(?P<value>.*)' is not one of (?P<choices>.+)\."),
     lambda: _("'{value}' is not one of {choices}.")),
)


def _translated_reason(reason: str) -> str:
    for pattern, message in _REASONS:
        found = pattern.fullmatch(reason.strip())
        if found:
            return message().format(**found.groupdict())
    return reason


def _translated_usage_error(err: Exception) -> Exception:
    """The same error (same type, same exit code 2), its message in the interface language."""
    text = err.format_message()
    for pattern, message in _USAGE_ERRORS:
        found = pattern.fullmatch(text)
        if found:
            parts = found.groupdict()
            if "reason" in parts:
                parts["reason"] = _translated_reason(parts["reason"])
            translated = message().format(**parts)
            err.format_message = lambda translated=translated: translated  # what typer's "Error" panel shows
            break
    return err


class _TranslatingErrors:
    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except Exception as err:
            if getattr(err, "exit_code", None) == 2 and hasattr(err, "format_message"):  # a usage error
                raise _translated_usage_error(err) from None
            raise


class Command(_TranslatingErrors, typer.core.TyperCommand):
    context_class = _Context

    def get_help_option(self, ctx):
        return _translated_help_option(super().get_help_option(ctx))


class Group(_TranslatingErrors, typer.core.TyperGroup):
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
