"""The registry of authorities (registry.py, the bottom layer other apps build on) and each
authority's change process (process.py), its instruments (assessment.py: self-check, catalogue of
example measures), the measure plan as a PDF (overview.py) and the customers' survey (survey.py).
Outside the top layer (reports, privacy, pages) import `authorities.models.registry`: this package
pulls in the change processes."""

from authorities.models.assessment import *  # noqa: F403
from authorities.models.overview import *  # noqa: F403
from authorities.models.process import *  # noqa: F403
from authorities.models.registry import *  # noqa: F403
from authorities.models.survey import *  # noqa: F403
