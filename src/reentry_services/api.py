"""The Python API: the published tables as pandas DataFrames, from the files shipped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .model.schema import Field

SHIPPED = Path(__file__).with_name("_data")  # the release as packed into the wheel
CLONE = Path(__file__).resolve().parents[2]  # the root of a clone (editable install)


def release_root() -> Path:
    """The root of the release (datapackage.json and dist/): inside the installed package,
    or the clone's."""
    return SHIPPED if SHIPPED.is_dir() else CLONE


def data_dir() -> Path:
    """Where the published files are: the release's dist/."""
    return release_root() / "dist"


def load(name: str) -> pd.DataFrame:
    """Load a published table as a pandas DataFrame whose columns sort, group and compare.

    `name` is a table of the release: "services" (one row per support resource),
    "sections" (the sections), "evidence", "moved_hosts" or "contact_points".
    Each column's dtype follows the schema: codes are `category` (with every code of the
    code list as a category; ordered where the list has an order), text `string`, integers
    `Int32`, booleans `boolean`, the date `datetime64`; an empty value is missing (NA).

    >>> import reentry_services as r
    >>> services = r.load("services")
    >>> services["provider_type"].cat.categories.tolist()  # the code list, in its order
    ['prefecture', 'municipalities', 'public_interest_corporation', 'national_government']
    >>> services.loc[services["url_form"] == "relative", "url_as_published"].tolist()
    ['/hoken_fukushi/']
    >>> page_only = services[services["listed_on_page"]]  # without the curators' additions
    >>> int(page_only["audience"].str.contains("supporters").sum())
    7
    """
    import pandas as pd
    import pyarrow.parquet as pq

    from .model.schema import TABLES

    tables = {t.name: t for t in TABLES}
    if name not in tables:
        raise ValueError(f"unknown table {name!r}; choose one of {', '.join(tables)}")
    arrow = pq.read_table(data_dir() / f"{name}.parquet")
    return pd.DataFrame(
        {f.name: _column(arrow[f.name].to_pylist(), f) for f in tables[name].fields}
    )


def _column(values: list, field: Field) -> object:
    """One column as pandas users expect it, from its values and its declaration."""
    import pandas as pd

    if field.codes is not None and field.separator is None:
        return pd.Categorical(values, categories=field.codes.values, ordered=field.codes.ordered)
    if field.type == "date":
        return pd.to_datetime(pd.Series(values, dtype="object"))
    dtype = {"string": "string", "integer": "Int32", "boolean": "boolean"}[field.type]
    return pd.array(values, dtype=dtype)
