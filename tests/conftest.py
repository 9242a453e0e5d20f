import pytest
from django.core.cache import cache
from django.urls import clear_url_caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated_cache_and_language():
    cache.clear()
    yield
    cache.clear()
    translation.activate("fi")
    # URL resolvers cache the language prefixes computed under the LANGUAGE_CODE of the time;
    # a test that changes LANGUAGE_CODE would otherwise leave unprefixed URLs behind.
    clear_url_caches()


@pytest.fixture(autouse=True)
def _no_page_cache_unless_asked(request, settings):
    """View tests see freshly rendered pages; tests of the page cache itself opt in with
    @pytest.mark.page_cache."""
    settings.PAGE_CACHE_ENABLED = request.node.get_closest_marker("page_cache") is not None
