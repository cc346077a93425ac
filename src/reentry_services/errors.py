"""The pipeline's own errors: each says where, what went wrong, and what to do."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """Any failure the pipeline reports to its user instead of a traceback."""


class InputError(PipelineError):
    """A problem in the raw input or the curation, located by file and line."""

    def __init__(self, path: Path | str, problem: str, fix: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.problem}\n  fix: {self.fix}"


class SchemaViolation(PipelineError):
    """A built table breaks a constraint of the schema module: a bug, not bad input."""
