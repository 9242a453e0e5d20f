"""Optimistic locking: a form saved after someone else saved the same row is refused.

The form carries the row's edit count from when it was opened (``EditCountedModel``). On save,
the count is read again under a row lock; if it moved, the save is refused with what changed
in the meantime, and the form is armed with the new count, so that saving again deliberately
replaces the other person's changes.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.history import differences, readable, recorded_at, versions_of

LOADED_FIELD = "loaded_edit_count"
# The versions searched for the one the form was opened from: conflicts are between people
# editing at the same time, so it is among the newest.
VERSIONS_SEARCHED = 50


class EditConflictForm(forms.ModelForm):
    """A model form for an ``EditCountedModel`` that refuses to overwrite a newer save.

    The admin renders only the fields of its fieldsets; templates/admin/change_form.html adds
    the hidden field of this form to every change form that has one."""

    tracks_edit_conflicts = True

    loaded_edit_count = forms.IntegerField(
        label=_("saved times when the form was opened"),
        widget=forms.HiddenInput,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[LOADED_FIELD].initial = self.instance.edit_count

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        model = type(self.instance)
        # The lock holds until the save commits, so two saves at once are taken in turn and
        # the second one sees the first.
        saved = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        loaded = cleaned_data.get(LOADED_FIELD)
        if saved is None or loaded == saved.edit_count:
            return cleaned_data
        self.data = self.data.copy()
        self.data[self.add_prefix(LOADED_FIELD)] = saved.edit_count
        raise ValidationError(conflict_messages(saved, loaded, self), code="edit_conflict")


def conflict_messages(saved, loaded_edit_count, form):
    """Who saved ``saved`` since the form was opened at ``loaded_edit_count``, and what they
    changed among the fields of ``form`` (not fields or choices the user may not see), as
    messages for the form."""
    newer = []
    opened = None
    for version in versions_of(saved)[:VERSIONS_SEARCHED]:
        if not readable(version):
            continue
        if version.field_dict.get("edit_count") == loaded_edit_count:
            opened = version
            break
        newer.append(version)
    messages = [headline(saved, newer)]
    if opened is not None:
        messages += [
            ValidationError(
                _("%(field)s is now “%(now)s” (it was “%(then)s”)."),
                code="edit_conflict",
                params={"field": change.label, "now": change.now, "then": change.then},
            )
            for change in differences(opened, saved, set(form.fields), shown_by(form))
        ]
    messages.append(
        ValidationError(
            _(
                "Your changes have not been saved yet. Check the form and save again to "
                "replace those changes with yours, or reload the page to start from the "
                "saved version."
            ),
            code="edit_conflict",
        )
    )
    return messages


def headline(saved, newer_versions):
    latest = newer_versions[0].revision if newer_versions else None
    if latest is None or latest.user is None:
        return ValidationError(
            _("Someone else saved this %(model)s after you opened it."),
            code="edit_conflict",
            params={"model": saved._meta.verbose_name},
        )
    user = latest.user
    return ValidationError(
        _("%(user)s saved this %(model)s at %(time)s, after you opened it."),
        code="edit_conflict",
        params={
            "user": user.get_full_name() or user.get_username(),
            "model": saved._meta.verbose_name,
            "time": recorded_at(newer_versions[0]),
        },
    )


def shown_by(form):
    """Whether ``form`` would offer a related row (by field name and key) to its user."""

    def shown(field_name, key):
        field = form.fields.get(field_name)
        if not isinstance(field, forms.ModelChoiceField):
            return True
        return field.queryset.filter(pk=key).exists()

    return shown
