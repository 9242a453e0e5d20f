"""The admin site's names, and Django's group and user admins registered again with choices
that survive tampered posts (see kohtaamispaikat.core.admin_widgets): their permission and group
choices are multiple choices."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.admin_personal_data import personal_data_view
from kohtaamispaikat.core.admin_widgets import KeySafeChoicesMixin
from kohtaamispaikat.core.models import UserProfile
from kohtaamispaikat.core.roles import is_site_admin

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

    def get_urls(self):
        # One person's data (GDPR articles 15 and 17), for site admins only.
        view = self.admin_site.admin_view(
            lambda request: personal_data_view(request, self.admin_site)
        )
        return [path("personal-data/", view, name="personal_data"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if is_site_admin(request.user):
            extra_context = {
                **(extra_context or {}),
                "personal_data_url": reverse(f"{self.admin_site.name}:personal_data"),
            }
        return super().changelist_view(request, extra_context)
