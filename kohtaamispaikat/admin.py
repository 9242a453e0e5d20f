"""Django's group and user admins, registered again with choices that survive tampered posts
(see kohtaamispaikat.admin_widgets): their permission and group choices are multiple choices."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from kohtaamispaikat.admin_widgets import KeySafeChoicesMixin

admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class KeySafeGroupAdmin(KeySafeChoicesMixin, GroupAdmin):
    pass


@admin.register(User)
class KeySafeUserAdmin(KeySafeChoicesMixin, UserAdmin):
    pass
