"""The package's version, declared once: pyproject.toml, metadata and `--version` read it."""

VERSION = "0.3.0"
