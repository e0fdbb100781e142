"""Build hook: compile the interface's translations (.po) into the .mo files gettext reads.

The .po files are the source, kept in the repository; the .mo files are build products, written
beside them (git ignores them) and shipped in the wheel. Babel does the compiling.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileTranslations(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "src" / "essmap" / "locale"
        for po in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            with open(po, "rb") as handle:
                catalog = read_po(handle)  # the plural forms are the file's own header's
            with open(po.with_suffix(".mo"), "wb") as handle:
                write_mo(handle, catalog)
