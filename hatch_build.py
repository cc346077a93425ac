"""Hatch build hook: the sdist and the wheel carry the release as datapackage.json lists
it (the wheel under reentry_services/_data/), and nothing else that lies in dist/, such as
a wheel that a plain `python -m build` left there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

WHEEL_DATA = "reentry_services/_data/"


class ReleaseFiles(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":  # an editable install reads the clone's release
            return
        root = Path(self.root)
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        prefix = WHEEL_DATA if self.target_name == "wheel" else ""
        for path in ["datapackage.json", *(r["path"] for r in descriptor["resources"])]:
            build_data["force_include"][str(root / path)] = prefix + path
