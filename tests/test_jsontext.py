"""The column-wise JSON writer against orjson and uuid5, the references it must equal."""

from __future__ import annotations

import json
import uuid

import orjson
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reentry_services import metadata
from reentry_services.publish import jsontext

texts = st.lists(st.one_of(st.none(), st.text()), min_size=1, max_size=20)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_strings_are_what_orjson_writes(values):
    expected = [None if v is None else orjson.dumps(v).decode() for v in values]
    assert jsontext.strings(pa.array(values, pa.string())).to_pylist() == expected


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_objects_leave_out_missing_members(first, second):
    second = (second * len(first))[: len(first)]
    ids = pa.array([str(i) for i in range(len(first))])
    pairs = [
        ("id", jsontext.strings(ids)),
        (
            "name",
            jsontext.one_or_list(
                [
                    jsontext.strings(pa.array(first, pa.string())),
                    jsontext.strings(pa.array(second, pa.string())),
                ]
            ),
        ),
        ("kind", '"x"'),
    ]
    for i, line in enumerate(jsontext.obj(pairs).to_pylist()):
        names = [v for v in (first[i], second[i]) if v is not None]
        expected = {
            "id": str(i),
            **({"name": names[0] if len(names) == 1 else names} if names else {}),
            "kind": "x",
        }
        assert line == orjson.dumps(expected).decode()


def test_an_object_needs_its_first_member():
    with pytest.raises(ValueError, match="first member"):
        jsontext.obj([("id", pa.array([None, '"a"'], pa.string()))])


def test_arrays_by_offsets_group_items_under_their_parents():
    grouped = jsontext.array_by_offsets(
        pa.array(["1", "2", "3"]), pa.array([0, 2, 2, 3], pa.int32())
    )
    assert grouped.to_pylist() == ["[1,2]", "[]", "[3]"]


def test_a_written_array_reads_back_whole(tmp_path):
    path = tmp_path / "items.json"
    batches = [
        pa.array(['{"a":1}', '{"b":2}']).slice(1),
        pa.array([], pa.string()),
        pa.array(['{"c":3}', '{"d":4}']),
        pa.array(['{"e":5}', '{"f":6}'], pa.large_string()).slice(1),
    ]
    with path.open("wb") as out:
        jsontext.write_array(out, [b'{"z":0}', *batches], head=b'{"items": [', tail=b"]}")
    assert json.loads(path.read_text()) == {
        "items": [{"z": 0}, {"b": 2}, {"c": 3}, {"d": 4}, {"f": 6}]
    }
    assert path.read_text().count("\n") == 7  # head, one line per item, tail


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(), max_size=30))
def test_stable_uuids_are_uuid5_in_the_project_namespace(keys):
    expected = [str(uuid.uuid5(metadata.ID_NAMESPACE, f"service/{k}")) for k in keys]
    assert metadata.stable_uuids("service", pa.array(keys, pa.string())).to_pylist() == expected
    half = len(keys) // 2
    chunked = pa.chunked_array([keys[:half], keys[half:]], pa.string())
    assert metadata.stable_uuids("service", chunked).to_pylist() == expected
    assert [metadata.stable_uuid("service", k) for k in keys] == expected


def test_the_sampled_nodes_show_every_shape_of_a_varied_build(tmp_path):
    """The build checks one node of each shape against schema.org; on a build with every
    kind of resource, link and provider, the sampled nodes' types and keys are all the
    nodes' types and keys."""
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    from reentry_services.cli import build
    from reentry_services.publish import jsonld
    from reentry_services.publish.tables import read_csv
    from reentry_services.schema import SERVICES

    generate(300, tmp_path / "raw")
    build(tmp_path / "raw", tmp_path / "out")
    services = read_csv(SERVICES, tmp_path / "out" / "dist" / "services.csv")
    lines, samples = jsonld.service_nodes(services, "urn:uuid:area")

    def shape(line: str) -> tuple:
        node = orjson.loads(line)
        return node["@type"], tuple(node)

    every = {shape(line) for line in lines.to_pylist()}
    assert {shape(line) for line in lines.take(samples).to_pylist()} == every
    assert len(every) > 3  # works, government and other services, with and without links


@pytest.mark.parametrize("rows", [0, 1, 5, 6])
def test_rendered_ahead_pairs_each_batch_with_its_rendering_in_order(monkeypatch, rows):
    """The next batch is rendered on another thread; what comes out is what rendering
    each batch in turn gives, in the table's order (batches of 2 rows)."""
    from reentry_services.publish import batches

    monkeypatch.setattr(batches, "ROWS", 2)
    table = pa.table({"n": list(range(rows))})
    found = [
        (batch["n"].to_pylist(), rendered)
        for batch, rendered in batches.rendered_ahead(lambda b: sum(b["n"].to_pylist()), table)
    ]
    expected = [
        (batch["n"].to_pylist(), sum(batch["n"].to_pylist())) for batch in table.to_batches(2)
    ]
    assert found == expected
    assert [n for ns, _ in found for n in ns] == list(range(rows))
