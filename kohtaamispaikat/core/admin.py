"""The admin site's names, and Django's group and user admins registered again with choices
that survive tampered posts (see kohtaamispaikat.core.admin_widgets): their permission and group
choices are multiple choices."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.admin_widgets import KeySafeChoicesMixin
from kohtaamispaikat.core.models import UserProfile

admin.site.site_header = _("Kohtaamispaikat administration")
admin.site.site_title = _("Kohtaamispaikat administration")
admin.site.index_title = _("Meeting places and the network")

admin.site.unregister(Group)
admin.site.unregister(User)


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    fields = ("language",)
    can_delete = False


@admin.register(Group)
class KeySafeGroupAdmin(KeySafeChoicesMixin, GroupAdmin):
    pass


@admin.register(User)
class KeySafeUserAdmin(KeySafeChoicesMixin, UserAdmin):
    inlines = [UserProfileInline]
