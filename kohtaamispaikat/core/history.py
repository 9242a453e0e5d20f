"""Change history: who changed what and when, and restoring an earlier version.

django-reversion stores the versions. Revisions are recorded by hand (``manage_manually``) once
an object and the rows it follows (a place's opening hours) are fully saved, so a version never
holds a row that the same save deleted.

A version holds one object and the rows it follows. Restoring puts back only those, never the
other objects of the same revision: a CSV import or a bulk action records many places in one
revision, and the user restoring one of them may not manage the others.
"""

from collections import Counter
from dataclasses import dataclass

import reversion
from django.contrib.admin.utils import display_for_field
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, router
from django.db.models.deletion import Collector
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.errors import RevertError
from reversion.models import Version

# reversion keeps the registration options (the names of the relations a model follows) in a
# private helper; the admin of reversion itself reads them the same way.
from reversion.revisions import _get_options

BASELINE_COMMENT = _("The state before the first recorded change.")
EMPTY = "—"
NOT_VISIBLE = _("(not shown to you)")


def everything_visible(field_name, value):
    return True


def record_versions(objects, *, user=None, comment=""):
    """Record the saved state of ``objects``, with the rows they follow, as one revision."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user)
        reversion.set_comment(str(comment))
        for obj in objects:
            reversion.add_to_revision(obj)


def record_deletion(objects, *, user, comment):
    """Record the last state of ``objects`` and of every recorded object their deletion takes
    along (a meeting's outcome and its plans), so that each can be recovered."""
    objects = list(objects)
    if not objects:
        return
    collector = Collector(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    doomed = [
        instance
        for model, instances in collector.data.items()
        if reversion.is_registered(model)
        for instance in instances
    ]
    doomed += [
        instance
        for queryset in collector.fast_deletes
        if reversion.is_registered(queryset.model)
        for instance in queryset
    ]
    record_versions(doomed, user=user, comment=comment)


def record_baselines(objects):
    """Record the saved state of those of ``objects`` that have no recorded version yet, so
    that the first recorded change to them can be undone too. Rows written by the demo data,
    by a CSV import or before history was kept have none. Call it before changing them."""
    objects = list(objects)
    if not objects:
        return
    model = type(objects[0])
    recorded = set(
        Version.objects.get_for_model(model)
        .filter(object_id__in=[str(obj.pk) for obj in objects])
        .values_list("object_id", flat=True)
    )
    missing = [obj for obj in objects if str(obj.pk) not in recorded]
    if missing:
        record_versions(missing, comment=BASELINE_COMMENT)


def readable(version):
    """Whether the recorded data of ``version`` still fits its model (a version recorded
    before a field changed type may not)."""
    try:
        version.field_dict  # noqa: B018 (cached: read once, here)
    except RevertError:
        return False
    return True


def recorded_at(version):
    return formats.date_format(
        timezone.localtime(version.revision.date_created), "SHORT_DATETIME_FORMAT"
    )


def versions_of(obj):
    """The recorded versions of ``obj``, newest first."""
    return Version.objects.get_for_object(obj).select_related("revision__user")


def deleted_versions(model):
    """The last recorded version of each deleted object of ``model``, newest first."""
    return Version.objects.get_deleted(model).select_related("revision__user").order_by("-pk")


def _followed_relations(model):
    """(relation name, related model, name of the related model's key to ``model``)."""
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        yield name, relation.related_model, relation.field.attname


def _followed_versions(version, related_model, key_name, pk):
    content_type = ContentType.objects.get_for_model(related_model)
    return [
        followed
        for followed in version.revision.version_set.filter(content_type=content_type)
        if readable(followed) and followed.field_dict.get(key_name) == pk
    ]


def restore(version, obj):
    """Put ``obj`` and the rows it follows back as they were in ``version``, deleting followed
    rows added since. The caller saves ``obj`` afterwards, inside the same transaction, and
    must check the restored object is still one the user may manage."""
    for name, _related_model, _key_name in _followed_relations(type(obj)):
        getattr(obj, name).all().delete()
    _revert_with_followed_rows(version, obj.pk)


def recover(version):
    """Recreate the deleted object of ``version`` with the rows it followed; returns its key.
    The caller checks, inside the same transaction, that the user may manage it."""
    pk = _key_of(version)
    _revert_with_followed_rows(version, pk)
    return pk


def _key_of(version):
    return version.content_type.model_class()._meta.pk.to_python(version.object_id)


def _revert_with_followed_rows(version, pk):
    model = version.content_type.model_class()
    version.revert()
    tables = [model._meta.db_table, *_many_to_many_tables(model)]
    for _name, related_model, key_name in _followed_relations(model):
        tables += [related_model._meta.db_table, *_many_to_many_tables(related_model)]
        for followed in _followed_versions(version, related_model, key_name, pk):
            followed.revert()
    # Foreign keys are checked at commit; an earlier version may name a row deleted since
    # (an organisation, say), which must fail here, where the caller can report it.
    connection.check_constraints(table_names=tables)


def _many_to_many_tables(model):
    return [field.remote_field.through._meta.db_table for field in model._meta.many_to_many]


def describe(version, field_names=None, visible=everything_visible):
    """The fields of ``version`` (those of ``field_names``, when given) and the rows it follows,
    as (label, value) pairs to show. Raises RevertError when the version cannot be read."""
    model = version.content_type.model_class()
    state = version.field_dict
    described = [
        (capfirst(field.verbose_name), _display(field, state.get(field.attname), visible))
        for field in _compared_fields(model, field_names)
    ]
    for _name, related_model, key_name in _followed_relations(model):
        rows = _followed_rows(version, related_model, key_name, _key_of(version))
        described.append((capfirst(related_model._meta.verbose_name_plural), _display_rows(rows)))
    return described


def _compared_fields(model, field_names=None):
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.editable
        and not field.primary_key
        and (field_names is None or field.name in field_names)
    ]


@dataclass(frozen=True)
class Difference:
    label: str
    then: str
    now: str


def differences(version, obj, field_names=None, visible=everything_visible):
    """What differs between ``version`` and the saved state of ``obj``, field by field (only
    ``field_names``, when given: what the user's form shows). Raises RevertError when the
    version cannot be read."""
    model = type(obj)
    then = version.field_dict
    found = []
    for field in _compared_fields(model, field_names):
        if field.many_to_many:
            before = set(then.get(field.attname, ()))
            after = set(getattr(obj, field.name).values_list("pk", flat=True))
        else:
            before = then.get(field.attname)
            after = getattr(obj, field.attname)
        if before != after:
            found.append(
                Difference(
                    capfirst(field.verbose_name),
                    _display(field, before, visible),
                    _display(field, after, visible),
                )
            )
    for name, related_model, key_name in _followed_relations(model):
        before = _followed_rows(version, related_model, key_name, obj.pk)
        after = list(getattr(obj, name).all())
        if Counter(map(_row_state, before)) != Counter(map(_row_state, after)):
            found.append(
                Difference(
                    capfirst(related_model._meta.verbose_name_plural),
                    _display_rows(before),
                    _display_rows(after),
                )
            )
    return found


def _followed_rows(version, related_model, key_name, pk):
    """The rows of ``related_model`` that ``version`` holds for the object ``pk``, unsaved."""
    return [
        _instance(related_model, followed.field_dict)
        for followed in _followed_versions(version, related_model, key_name, pk)
    ]


def _instance(model, field_dict):
    attnames = {field.attname for field in model._meta.concrete_fields}
    return model(**{name: value for name, value in field_dict.items() if name in attnames})


def _row_state(row):
    return tuple(
        getattr(row, field.attname) for field in row._meta.concrete_fields if not field.primary_key
    )


def _display_rows(rows):
    return "; ".join(sorted(_row_text(row) for row in rows)) or EMPTY


def _row_text(row):
    try:
        return str(row)
    except ObjectDoesNotExist:  # it names a row deleted since (a merged municipality, say)
        return gettext("(deleted)")


def _display(field, value, visible=everything_visible):
    """``value`` of ``field`` as text; related rows the user's form would not offer them
    (``visible`` says which) are not named."""
    if field.many_to_many:
        keys = list(value or ())
        shown = [key for key in keys if visible(field.name, key)]
        names = [str(item) for item in field.related_model._default_manager.filter(pk__in=shown)]
        if len(shown) < len(keys):
            names.append(str(NOT_VISIBLE))
        return ", ".join(names) or EMPTY
    if field.is_relation:
        if value is None:
            return EMPTY
        if not visible(field.name, value):
            return str(NOT_VISIBLE)
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else gettext("(deleted)")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if hasattr(field, "item_choices"):  # a list-of-codes field (an app's ChoiceListField)
        labels = dict(field.item_choices)
        return ", ".join(str(labels.get(code, code)) for code in value or ()) or EMPTY
    return str(display_for_field(value, field, EMPTY)) or EMPTY
