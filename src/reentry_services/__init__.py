"""Open data of the reentry-support resources listed with Tokyo's recidivism-prevention plan.

>>> import reentry_services as r
>>> r.load("sections")["section_ja"].dropna().iloc[0]
'非行の防止・学校と連携した修学支援等のための取組'
"""

from .api import load
from .version import VERSION as __version__

__all__ = ["__version__", "load"]
