from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row counting changes to public content.

    Every cached page's key includes the version, so a staff edit shows on the very next request.
    It lives in the database, not the cache, so that every server process agrees on it even with
    a per-process cache.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="data_version_single_row")
        ]

    def __str__(self):
        return str(self.version)


class EditCountedModel(models.Model):
    """A row that counts its saves, so that a form can tell whether someone else saved the row
    after the form was loaded (optimistic locking, see kohtaamispaikat.core.locking)."""

    edit_count = models.PositiveIntegerField(_("saved times"), default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        counted_from = self.edit_count
        # Counted on in the database, so that an instance loaded before someone else's save
        # still counts past it. Restoring a version writes its older count back to the row; a
        # restore counts on from the count it replaced by keeping that one on the instance.
        self.edit_count = Greatest(F("edit_count"), Value(counted_from)) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "edit_count"}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            self.edit_count = counted_from  # a number again, not the expression
            raise
        self.refresh_from_db(fields=["edit_count"])


class UserProfile(models.Model):
    """What the site needs to know of a person beyond Django's user: the language their
    e-mails are written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("E-mails from the site are written in this language."),
    )

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return str(self.user)
