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


@pytest.fixture(autouse=True)
def _own_maintenance_flag(settings, tmp_path_factory):
    """import_data's maintenance flag file in a directory of this test process, so that a
    restore in one test never puts the tests of another process into maintenance."""
    settings.MAINTENANCE_FILE = tmp_path_factory.getbasetemp() / "maintenance.flag"


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Uploaded files of each test in a directory of its own, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
