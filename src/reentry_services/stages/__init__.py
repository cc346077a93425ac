"""The stages that read raw/: the source (sidecar and snapshot), the page's layout, the
curation, and normalize, which joins them into the published tables."""

from __future__ import annotations

from pathlib import Path

from ..model.records import Curation, Page
from .curation import read_curation
from .layout import read_page
from .source import check_raw_folder


def read_inputs(raw_dir: Path, check_evidence: bool = True) -> tuple[Curation, Page]:
    """The curation and the page, in that order (the page's parser needs the paragraph
    decisions; a problem in the curation is reported before one in the page)."""
    check_raw_folder(raw_dir)
    curation = read_curation(raw_dir, check_evidence)
    return curation, read_page(raw_dir, curation.paragraphs)
