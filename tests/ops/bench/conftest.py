import pytest


@pytest.fixture
def bench_urls(settings):
    """The product's URLs plus the bench's two floors, as `make bench` serves them."""
    settings.ROOT_URLCONF = "portal.ops.bench.urls"
