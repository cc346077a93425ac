"""The notebook runs from top to bottom on the committed files, so it cannot rot."""

from __future__ import annotations

import nbclient
import nbformat
import pytest
from conftest import REPO

from reentry_services.schema import SECTIONS, SERVICES

pytestmark = pytest.mark.slow  # builds in subprocesses, a browser or a notebook


def test_notebook_executes():
    path = REPO / "notebooks" / "explore.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=180, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    shapes = f"(22, {len(SERVICES.fields)}) (7, {len(SECTIONS.fields)})"
    assert "valid: True" in text and shapes in text
    assert any("image/png" in o.get("data", {}) for o in outputs)


def test_notebook_runs_when_copied_out_of_the_clone(tmp_path):
    """It finds the release through the package, not through ../dist/."""
    copy = tmp_path / "explore.ipynb"
    copy.write_bytes((REPO / "notebooks" / "explore.ipynb").read_bytes())
    notebook = nbformat.read(copy, as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=180, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
