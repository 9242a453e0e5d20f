import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated_cache_and_language():
    cache.clear()
    yield
    cache.clear()
    translation.activate("fi")


@pytest.fixture(autouse=True)
def _no_page_cache_unless_asked(request, settings):
    """View tests see freshly rendered pages; tests of the page cache itself opt in with
    @pytest.mark.page_cache."""
    settings.PAGE_CACHE_ENABLED = request.node.get_closest_marker("page_cache") is not None
