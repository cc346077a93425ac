"""Arrow's threaded readers are never handed a Python object, which they may release on
their own threads while the interpreter exits (the process then aborts)."""

from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
from conftest import RAW

from reentry_services.arrowio import arrow_stream
from reentry_services.cli import build, validate


def test_the_stream_is_a_copy_in_arrows_memory_pool():
    data = "名称,説明\n東京,就労\n".encode() * 1000
    before = pa.total_allocated_bytes()
    stream = arrow_stream(data)
    assert pa.total_allocated_bytes() - before >= len(data)
    assert stream.read() == data


def test_build_and_validate_give_arrows_readers_paths_or_arrow_streams(monkeypatch, tmp_path):
    sources = []

    def recording(read):
        def read_and_record(source, *args, **kwargs):
            sources.append(source)
            return read(source, *args, **kwargs)

        return read_and_record

    monkeypatch.setattr(pacsv, "read_csv", recording(pacsv.read_csv))
    monkeypatch.setattr(pajson, "read_json", recording(pajson.read_json))
    build(RAW, tmp_path)
    assert validate(tmp_path)[0]
    assert len(sources) > 10
    assert all(isinstance(s, os.PathLike | str | pa.BufferReader) for s in sources), [
        type(s) for s in sources
    ]
