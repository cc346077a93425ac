"""The Python API: the published tables as pandas DataFrames, from the files shipped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TABLE_NAMES = ("services", "sections")
SHIPPED = Path(__file__).with_name("_data")  # dist/ as packed into the wheel
CLONE = Path(__file__).resolve().parents[2] / "dist"  # dist/ of a clone (editable install)


def data_dir() -> Path:
    """Where the published files are: inside the installed package, or the clone's dist/."""
    return SHIPPED if SHIPPED.is_dir() else CLONE


def load(name: str) -> pd.DataFrame:
    """Load a published table as a DataFrame with the published (Arrow) dtypes.

    `name` is "services" (one row per support resource) or "sections" (the page's sections).
    Codes are dictionary (categorical) columns, line numbers int32, dates date32, and empty
    values are nulls.

    >>> import reentry_services as r
    >>> services = r.load("services")
    >>> services.shape
    (22, 24)
    >>> services.loc[services["url_status"] == "relative", "url_as_published"].tolist()
    ['/hoken_fukushi/']
    """
    import pandas as pd

    if name not in TABLE_NAMES:
        raise ValueError(f"unknown table {name!r}; choose one of {', '.join(TABLE_NAMES)}")
    return pd.read_parquet(data_dir() / f"{name}.parquet", dtype_backend="pyarrow")
