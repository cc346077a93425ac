"""Wall time and peak memory of each stage of a command, for the benchmark (--timings)."""

from __future__ import annotations

import json
import resource
import sys
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
        self.rows.append(
            {
                "stage": name,
                "seconds": round(time.perf_counter() - start, 4),
                "peak_rss_mb": round(peak_rss_kib() / 1024, 1),
            }
        )

    def write(self, path: Path | None) -> None:
        if path is not None:
            path.write_text(json.dumps(self.rows, indent=1) + "\n", encoding="utf-8")


def peak_rss_kib() -> int:
    """This process's peak resident memory so far, in KiB. On Linux from VmHWM: getrusage's
    ru_maxrss also counts the process that started this one, when it was larger (Linux
    carries the parent's peak over through vfork and exec, as subprocess starts commands)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS
