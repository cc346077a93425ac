"""Wall time and peak memory of each stage of a command, for the benchmark (--timings)."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Stages:
    """Collects (stage, seconds, peak RSS so far) as the stages of a command run."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        self.rows.append({"stage": name, "seconds": round(time.perf_counter() - start, 4),
                          "peak_rss_mb": round(peak_kib / 1024, 1)})

    def write(self, path: Path | None) -> None:
        if path is not None:
            path.write_text(json.dumps(self.rows, indent=1) + "\n", encoding="utf-8")
