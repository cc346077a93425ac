"""The maintainers' guides in docs/architecture.md, followed step by step."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from conftest import RAW, REPO
from rdflib import Graph, Namespace

from reentry_services import outputs
from reentry_services.model.records import PublishedFile
from reentry_services.outputs import registry
from reentry_services.pipeline import build, validate

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")


def test_adding_a_format_is_one_registry_entry_and_one_writer(tmp_path, monkeypatch):
    """ "Add a format": declare the output in registry.OUTPUTS, register its writer."""
    tsv = PublishedFile(
        "services-tsv",
        "dist/services.tsv",
        "tsv",
        "text/tab-separated-values",
        "Support resources (TSV)",
        eu_file_type="TSV",
        format_label="TSV",
        writer="tsv",
        of="services",
    )

    def write_tsv(release, files):
        for f in files:
            options = pacsv.WriteOptions(delimiter="\t", quoting_style="none")
            pacsv.write_csv(
                release.table(f).select(["service_id", "name_ja"]), release.path(f), options
            )

    data = [o for o in registry.OUTPUTS if o.role == "data"]
    metadata = [o for o in registry.OUTPUTS if o.role == "metadata"]
    monkeypatch.setattr(registry, "OUTPUTS", (*data, tsv, *metadata))
    monkeypatch.setitem(outputs.DATA_WRITERS, "tsv", write_tsv)
    build(RAW, tmp_path)

    dist = tmp_path / "dist"
    assert (
        (dist / "services.tsv").read_text(encoding="utf-8").startswith('"service_id"\t"name_ja"\n')
    )
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "services-tsv"]
    assert resource["mediatype"] == "text/tab-separated-values" and resource["bytes"] > 0
    catalog = Graph().parse(
        dist / "catalog.ttl", format="turtle", publicID=(dist / "catalog.ttl").resolve().as_uri()
    )
    (distribution,) = [
        d
        for d in catalog.subjects(DCAT.downloadURL, None)
        if str(catalog.value(d, DCAT.downloadURL)).endswith("/services.tsv")
    ]
    assert str(catalog.value(distribution, DCT["format"])).endswith("/file-type/TSV")
    jsonld = json.loads((dist / "services.jsonld").read_text(encoding="utf-8"))
    assert "services.tsv" in [d["contentUrl"] for d in jsonld["@graph"][0]["distribution"]]
    assert 'href="services.tsv"' in (dist / "index.html").read_text(encoding="utf-8")
    valid, report = validate(tmp_path)
    assert valid, report


def test_the_registry_declares_every_published_file_once(built: Path):
    published = sorted(
        p.relative_to(built).as_posix() for p in (built / "dist").rglob("*") if p.is_file()
    )
    declared = [o.path for o in registry.OUTPUTS]
    assert sorted(declared) == published and len(set(declared)) == len(declared)
    assert {o.writer for o in registry.OUTPUTS if o.role == "data"} == set(outputs.DATA_WRITERS)
    assert {o.writer for o in registry.OUTPUTS if o.role == "metadata"} == set(
        outputs.METADATA_WRITERS
    )


def guide_field() -> str:
    """The Field the "Add a column" guide of docs/architecture.md shows, as it shows it."""
    guide = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = guide.split("## Add a column", 1)[1].split("\n## ", 1)[0]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    lines = [line.removeprefix("   ") for line in block.strip().splitlines()]
    assert lines[0] == "(" and lines[-1] == ")"  # a tuple's item, as the guide shows it
    return "".join(f"    {line}\n" for line in lines[1:-1])


def follow_the_add_a_column_guide(repo: Path) -> None:
    """Step 1 and 2 of the guide, in the files it names: the Field in model/schema.py and
    the column in raw/curation/services.csv (a value on one row)."""
    schema = repo / "src" / "reentry_services" / "model" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    anchor = '        Field(\n            name="description_ja",'
    assert text.count(anchor) == 1
    schema.write_text(text.replace(anchor, guide_field() + anchor), encoding="utf-8")
    curation = repo / "raw" / "curation" / "services.csv"
    with curation.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("audience") + 1  # where the field stands among the curated ones
    for number, row in enumerate(rows):
        row.insert(at, "phone_ja" if number == 0 else ("03-5211-2851" if number == 7 else ""))
    with curation.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_following_the_add_a_column_guide_keeps_the_release_and_the_fast_tests_whole(tmp_path):
    """The guide followed in a scratch copy of the repository: the two files it names, then
    step 3 (`make` builds the release); the column is published and declared, the release
    is valid, and the fast tests pass there without touching any other file."""
    repo = tmp_path / "repo"
    shutil.copytree(
        REPO,
        repo,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", ".node", "wheelhouse", "test-artifacts", "__pycache__", ".*cache"
        ),
    )
    if (REPO.parent / "shared").exists():  # the vendored standards, beside the copy too
        (tmp_path / "shared").symlink_to(REPO.parent / "shared")
    for tools in (".venv-pandas2", ".venv-ckan", ".venv-notebook", ".node"):  # what CI made
        if (REPO / tools).exists():
            (repo / tools).symlink_to(REPO / tools)
    follow_the_add_a_column_guide(repo)
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}

    def run(*args: object) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *map(str, args)], capture_output=True, text=True, env=env, cwd=repo
        )

    command = "import sys; from reentry_services.cli import main; sys.exit(main(sys.argv[1:]))"
    built = run("-c", command, "build")
    assert built.returncode == 0, built.stderr
    with (repo / "dist" / "services.csv").open(encoding="utf-8", newline="") as f:
        published = list(csv.DictReader(f))
    assert [r["phone_ja"] for r in published].count("03-5211-2851") == 1
    descriptor = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))
    (services,) = [r for r in descriptor["resources"] if r["name"] == "services"]
    assert "phone_ja" in [f["name"] for f in services["schema"]["fields"]]
    assert "phone_ja" in (repo / "dist" / "data-dictionary.md").read_text(encoding="utf-8")
    checked = run("-c", command, "validate")
    assert checked.returncode == 0, checked.stdout
    fast = run("-m", "pytest", "-m", "not slow", "-q", "-p", "no:cacheprovider", "-x")
    assert fast.returncode == 0, fast.stdout[-3000:]
