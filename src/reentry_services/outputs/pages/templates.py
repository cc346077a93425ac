"""The pages' Jinja2 templates and the style and script they inline (outputs/pages/assets/).

Autoescape is on: every value is escaped unless it is wrapped in `Markup`."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template
from markupsafe import Markup

ASSETS = Path(__file__).with_name("assets")

_ENVIRONMENT = Environment(
    loader=FileSystemLoader(ASSETS),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=StrictUndefined,
)


def template(name: str) -> Template:
    return _ENVIRONMENT.get_template(name)


def asset(name: str) -> Markup:
    """An asset's text, to be inlined as it is (the style sheet, the script)."""
    return Markup((ASSETS / name).read_text(encoding="utf-8"))
