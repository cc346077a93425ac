"""Open data of the reentry-support resources listed with Tokyo's recidivism-prevention plan.

>>> import reentry_services as r
>>> r.load("sections").sort_values("section_order")["section_ja"].dropna().iloc[0]
'就労の確保等'
"""

from .api import load
from .version import VERSION as __version__

__all__ = ["__version__", "load"]
