"""The Python API: load() gives the published tables with their dtypes, in a clone and
from an installed wheel."""

from __future__ import annotations

import doctest
import os
import subprocess

import pandas as pd
import pandas_everyday
import pytest
from conftest import REPO

import reentry_services
from reentry_services import api
from reentry_services.model.schema import SECTIONS, SERVICES, TABLES


def test_docstring_examples_run():
    for module in (api, reentry_services):
        assert doctest.testmod(module).failed == 0


DTYPES = {"string": "string", "integer": "Int32", "boolean": "boolean"}


@pytest.mark.parametrize("table", [SERVICES, SECTIONS], ids=lambda t: t.name)
def test_load_gives_each_column_the_dtype_its_declaration_asks(table):
    frame = reentry_services.load(table.name)
    assert list(frame.columns) == table.field_names
    for f in table.fields:
        dtype = frame[f.name].dtype
        if f.codes is not None and f.separator is None:
            assert isinstance(dtype, pd.CategoricalDtype), f.name
            assert list(dtype.categories) == f.codes.values and dtype.ordered == f.codes.ordered
        elif f.type == "date":
            assert pd.api.types.is_datetime64_dtype(dtype), f.name
        else:
            assert dtype == DTYPES[f.type], f.name


def test_everyday_pandas_operations_work():
    pandas_everyday.check()


PANDAS2 = REPO / ".venv-pandas2" / "bin" / "python"


def test_everyday_pandas_operations_work_on_pandas_2():
    """.ci/run makes .venv-pandas2 (pandas 2.2, the package without its build extra)."""
    if not PANDAS2.exists():
        message = f"{PANDAS2} is missing: .ci/run creates it (pandas 2 beside pandas 3)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        [PANDAS2, REPO / "tests" / "pandas_everyday.py"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("pandas 2.")


def test_load_rejects_unknown_names():
    with pytest.raises(ValueError, match=", ".join(t.name for t in TABLES)):
        reentry_services.load("service")


def test_the_readme_example_runs_as_printed(capsys):
    """The README's Python example, run as a reader pastes it: the merge keeps one copy of
    each column (no _x/_y) and every resource lands in one priority."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    code = "\n".join(line.removeprefix("  ") for line in block.splitlines())
    names: dict = {}
    exec(code, names)
    merged = names["with_priority"]
    assert not [c for c in merged.columns if c.endswith(("_x", "_y"))]
    counts = merged.groupby("national_priority_code", observed=True, dropna=False).size()
    assert counts.sum() == len(names["services"]) and str(counts.iloc[0]) in capsys.readouterr().out


def test_the_version_is_declared_once():
    from reentry_services.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert reentry_services.__version__ == reentry_services.version.VERSION
