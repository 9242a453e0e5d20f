"""Admin choices that survive tampered posts.

Django's admin looks posted keys up in the database: to show an autocomplete choice again, to
check a multiple choice, to find the rows selected for an action or edited in a changelist. A
posted value that cannot be a key of the model ("abc" or a number beyond 64 bits for a numeric
key, a NUL character) then crashes the page (a ValueError, or an OverflowError on SQLite) instead
of being refused like the key of a row that does not exist. ``KeySafeChoicesMixin`` puts the
safe versions in place in a ModelAdmin.
"""

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


def is_key(key_field, value):
    """Whether ``value`` can be a value of the model field ``key_field`` (type and range)."""
    try:
        key_field.run_validators(key_field.to_python(value))
    except ValidationError:
        return False
    return "\x00" not in str(value)


def _remote_key_field(relation_field):
    remote_field = relation_field.remote_field
    remote_opts = remote_field.model._meta
    field_name = getattr(remote_field, "field_name", None)  # many-to-many: the primary key
    return remote_opts.get_field(field_name) if field_name else remote_opts.pk


class _KeySafeOptgroups:
    """Shows again only the posted values that can be keys of the related model."""

    def optgroups(self, name, value, attr=None):
        key_field = _remote_key_field(self.field)
        return super().optgroups(name, [key for key in value if is_key(key_field, key)], attr)


class KeySafeAutocompleteSelect(_KeySafeOptgroups, AutocompleteSelect):
    pass


class KeySafeAutocompleteSelectMultiple(_KeySafeOptgroups, AutocompleteSelectMultiple):
    pass


class KeySafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Reports a posted value that cannot be a key as an invalid choice; Django passes it on to
    the database."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        key_field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for choice in value:
            if not is_key(key_field, choice):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return super()._check_values(value)


class KeySafeChoicesMixin:
    """For a ModelAdmin, listed before ``admin.ModelAdmin`` (or a subclass of it) among the
    bases, so that the admin's own formfield_for_* can set querysets and call super()."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", KeySafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        # An empty ?_to_field= passes Django's check of the field name and is then looked up
        # as a field named "" (a crash); empty means the primary key, as when it is missing.
        return super().get_object(request, object_id, from_field or None)

    def response_action(self, request, queryset):
        # A selected key that cannot be one selects nothing, like the key of a deleted row.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        keys = [key for key in selected if is_key(self.opts.pk, key)]
        if len(keys) < len(selected):
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, keys)
        return super().response_action(request, queryset)

    def _get_list_editable_queryset(self, request, prefix):
        # Django checks the keys of rows edited in the changelist by type only; like it does
        # for a key of the wrong type, edit against all the rows when one is out of range.
        edited = self._get_edited_object_pks(request, prefix)
        if all(is_key(self.opts.pk, key) for key in edited):
            return super()._get_list_editable_queryset(request, prefix)
        return self.get_queryset(request)
