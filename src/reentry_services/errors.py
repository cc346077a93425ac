"""The pipeline's own errors: each says where, what went wrong, and what to do."""

from __future__ import annotations

from pathlib import Path

MAX_LISTED = 10


def listing(items: list[str]) -> str:
    """The first MAX_LISTED items, one per line, and how many more there are."""
    lines = [f"  - {item}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        lines.append(f"  … and {len(items) - MAX_LISTED} more")
    return "\n".join(lines)


def brief(items: list[str], most: int = 5, width: int = 40) -> str:
    """The first `most` items, each cut to `width` characters, and how many more there are:
    a message quotes what it found without repeating a whole hostile input."""
    shown = ", ".join(repr(clip(item, width)) for item in items[:most]) or "none"
    return shown + (f" … and {len(items) - most} more" if len(items) > most else "")


def clip(text: str, width: int) -> str:
    """`text`, cut to `width` characters with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


class PipelineError(Exception):
    """Any failure the pipeline reports to its user instead of a traceback."""


class Interrupted(PipelineError):
    """The user stopped the command (Ctrl-C); the message says what is in place."""


class InputError(PipelineError):
    """A problem in the raw input or the curation, located by file and line."""

    def __init__(
        self,
        path: Path | str,
        problem: str,
        fix: str,
        line: int | None = None,
        column: int | None = None,
    ):
        self.path = Path(path)
        self.line = line
        self.column = column
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{where}: {self.problem}\n  fix: {self.fix}"


class SchemaViolation(PipelineError):
    """A built table breaks a constraint of the schema module: a bug, not bad input."""
