import pytest

from places.models import Region
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    UserFactory,
    organisation_staff,
    regional_coordinator,
)


@pytest.fixture
def keski_suomi(db):
    return Region.objects.get(code="13")


@pytest.fixture
def uusimaa(db):
    return Region.objects.get(code="01")


@pytest.fixture
def coordinator_13(db):
    """A regional coordinator of Keski-Suomi (13) only."""
    return regional_coordinator("13", username="koordinaattori13")


@pytest.fixture
def site_admin(db):
    return UserFactory(username="admin", is_superuser=True)


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Perheyhdistys ry", slug="perheyhdistys")


@pytest.fixture
def staff_user(organization):
    return organisation_staff(organization, username="jasen")


@pytest.fixture
def meeting_13(keski_suomi):
    return MeetingFactory(title="Keski-Suomen verkosto", slug="keski-suomi", regions=[keski_suomi])


@pytest.fixture
def meeting_01(uusimaa):
    return MeetingFactory(title="Uudenmaan verkosto", slug="uusimaa", regions=[uusimaa])
