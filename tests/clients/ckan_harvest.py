"""Parse a DCAT catalog as CKAN's DCAT harvester does and print the datasets it would make.

Runs in an environment with ckan and ckanext-dcat installed (not this package's):
    python ckan_harvest.py CATALOG.ttl  → JSON list of CKAN dataset dicts on stdout
The harvester parses the fetched text without a base address, so this does too.
"""

from __future__ import annotations

import json
import sys

from ckan.common import config

config.update(
    {
        "ckan.site_url": "http://localhost:5000",
        "ckan.locale_default": "ja",
        "ckanext.dcat.rdf.profiles": "euro_dcat_ap_3",
    }
)

from ckanext.dcat.processors import RDFParser  # noqa: E402  (needs the config above)


def main(path: str) -> None:
    parser = RDFParser(profiles=["euro_dcat_ap_3"])
    with open(path, encoding="utf-8") as f:
        parser.parse(f.read(), _format="turtle")
    print(json.dumps(list(parser.datasets()), ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
