"""The portal's settings (from the environment, as always) with the bench's URLs: the product's URLs
plus the two floors. Used only by `python -m portal.ops.bench` and the gunicorn it starts."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "portal.ops.bench.urls"
