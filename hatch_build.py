"""Compile the gettext catalogs (locale/*/LC_MESSAGES/*.po) into .mo files when a wheel is built.

The .po files are the sources kept in git; the compiled .mo files are build output and are not.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        package = Path(self.root) / "src" / "csdrill"
        for po in sorted(package.glob("locale/*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as target:
                write_mo(target, catalog)
            # .mo files are git-ignored, and hatch leaves ignored files out unless told otherwise.
            build_data["force_include"][str(mo)] = str(Path("csdrill") / mo.relative_to(package))
