"""Every write of the authorities app: the registry (registry.py) and the change processes (process.py)."""

from authorities.services.process import *  # noqa: F403
from authorities.services.registry import *  # noqa: F403
from authorities.services.registry import MalformedImportFile  # noqa: F401  (named for readers)
