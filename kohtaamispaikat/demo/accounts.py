"""The demo logins, one per role. Only demo data creates them; README.md documents them.

A demo account is recognised by its e-mail address at the example domain: a user of the same
name that is not a demo account (a real administrator called "admin") is never touched.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from kohtaamispaikat.demo.common import EMAIL_DOMAIN
from network.models import Coordinator
from places.roles import ORGANISATION_STAFF_GROUP, REGIONAL_COORDINATOR_GROUP

SITE_ADMIN = "site admin"
REGIONAL_COORDINATOR = "regional coordinator"
ORGANISATION_STAFF = "organisation staff"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str
    group: str = ""

    @property
    def email(self):
        return f"{self.username}@{EMAIL_DOMAIN}"


DEMO_ACCOUNTS = (
    DemoAccount("admin", "demo-admin-2026", SITE_ADMIN, "Demo", "Pääkäyttäjä"),
    DemoAccount(
        "koordinaattori",
        "demo-koordinaattori-2026",
        REGIONAL_COORDINATOR,
        "Demo",
        "Koordinaattori",
        REGIONAL_COORDINATOR_GROUP,
    ),
    DemoAccount(
        "henkilokunta",
        "demo-henkilokunta-2026",
        ORGANISATION_STAFF,
        "Demo",
        "Henkilökunta",
        ORGANISATION_STAFF_GROUP,
    ),
)


@dataclass(frozen=True)
class Login:
    account: DemoAccount
    detail: str = ""  # what the role covers: a region, an organisation


def existing_demo_users():
    """{username: user} of the demo accounts present in the database."""
    users = get_user_model().objects.filter(
        username__in=[account.username for account in DEMO_ACCOUNTS]
    )
    emails = {account.username: account.email for account in DEMO_ACCOUNTS}
    return {user.username: user for user in users if user.email == emails[user.username]}


def demo_logins():
    """The demo accounts present, with what each role covers, for printing."""
    users = existing_demo_users()
    logins = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        if account.role == REGIONAL_COORDINATOR:
            coordinator = Coordinator.objects.filter(user=user).first()
            detail = ", ".join(r.name_fi for r in coordinator.regions.all()) if coordinator else ""
        elif account.role == ORGANISATION_STAFF:
            detail = ", ".join(user.organizations.values_list("name", flat=True))
        else:
            detail = ""
        logins.append(Login(account, detail))
    return logins


def save_demo_users(coordinator, organisation):
    """Create or refresh the demo accounts; link the coordinator account to ``coordinator`` and
    the staff account to ``organisation``. Returns the usernames left alone because a non-demo
    user already has them."""
    user_model = get_user_model()
    demo_users = existing_demo_users()
    taken = set(
        user_model.objects.filter(
            username__in=[account.username for account in DEMO_ACCOUNTS]
        ).values_list("username", flat=True)
    )
    skipped = []
    for account in DEMO_ACCOUNTS:
        user = demo_users.get(account.username)
        if user is None and account.username in taken:
            skipped.append(account.username)
            continue
        user = user or user_model(username=account.username)
        user.email = account.email
        user.first_name = account.first_name
        user.last_name = account.last_name
        user.is_active = True
        user.is_staff = True
        user.is_superuser = account.role == SITE_ADMIN
        user.set_password(account.password)
        user.save()
        user.groups.set([_group(account.group)] if account.group else [])
        if account.role == REGIONAL_COORDINATOR:
            Coordinator.objects.filter(user=user).exclude(pk=coordinator.pk).update(user=None)
            coordinator.user = user
            coordinator.save(update_fields=["user"])
        elif account.role == ORGANISATION_STAFF:
            organisation.members.add(user)
    return skipped


def _group(name):
    try:
        return Group.objects.get(name=name)
    except Group.DoesNotExist as error:
        raise ImproperlyConfigured(
            f'The group "{name}" is missing: run "manage.py migrate" first.'
        ) from error
