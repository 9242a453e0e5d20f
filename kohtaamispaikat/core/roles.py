"""The role the core itself needs to know: the site admin, who may do everything.

The apps' own roles (coordinators, organisation staff) build on it.
"""


def is_site_admin(user):
    return user.is_active and user.is_superuser
