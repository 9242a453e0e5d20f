import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated_cache_and_language():
    cache.clear()
    yield
    cache.clear()
    translation.activate("fi")
