"""The registry of authorities (registry.py) and each authority's change process (process.py)."""

from authorities.models.process import *  # noqa: F403
from authorities.models.registry import *  # noqa: F403
