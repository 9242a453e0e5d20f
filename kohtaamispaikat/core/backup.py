"""Every piece of content as one JSON document, and back (export_data and import_data).

The document holds what people typed in: accounts (with password hashes, groups and language
preference), audiences, organisations, meeting places with their hours and exceptions,
coordinators, meetings, outcomes and follow-up plans; and, unless exported without history, the
change history (django-reversion's revisions and versions) and the admin log, so that an edit
made before a restore can still be undone after it. Regions, municipalities, the role groups and
permissions come from the migrations, so rows refer to them by code or by natural key (content
types too); content keeps its primary keys, so that an import into a freshly migrated database
recreates it identically.

Sign-in records and sessions are not content: a full copy of the database is pg_dump's job (see
README.md).

Format versions: 1 had no history; 2 says whether it holds history ("history": true/false).
Both are read.
"""

import datetime
import json
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from reversion.models import Revision, Version

from kohtaamispaikat.core.apps import backup_matched_models, editable_models
from kohtaamispaikat.core.cache import bump_data_version
from kohtaamispaikat.core.models import UserProfile

FORMAT = "kohtaamispaikat-content"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder rounds times to milliseconds; a backup keeps them exact."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A document that cannot be imported, or a database it must not be imported into."""


def content_models():
    """The models a backup holds, parents before children: the order of export and import."""
    return editable_models()


def account_models():
    return [Group, get_user_model(), UserProfile]


def history_models():
    """The change history and the admin log, after the content they describe."""
    return [Revision, Version, LogEntry]


def _serialize(queryset, **options):
    return serializers.serialize(
        "python", queryset.order_by("pk").iterator(), use_natural_foreign_keys=True, **options
    )


def _schema():
    """The latest applied migration of each app, to tell which code wrote a document."""
    latest = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def export_content(stream, *, history=True):
    """Write the content as JSON to ``stream``; one consistent snapshot of the database. With
    ``history`` (the default) the change history and the admin log too."""
    starts_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if starts_transaction and connection.vendor == "postgresql":
            # Rows committed by others while the export runs must not mix two states.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        objects = [
            # Groups by name: the role groups of a migration have other keys elsewhere.
            *_serialize(Group.objects.all(), use_natural_primary_keys=True),
            *_serialize(get_user_model().objects.all()),
            *_serialize(UserProfile.objects.all()),
        ]
        for model in [*content_models(), *(history_models() if history else [])]:
            objects.extend(_serialize(model.objects.all()))
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "history": history,
            "exported_at": timezone.now(),
            "schema": _schema(),
            "objects": objects,
        }
    json.dump(document, stream, cls=ExactJSONEncoder, ensure_ascii=False, indent=1)
    stream.write("\n")


@dataclass
class ImportResult:
    counts: dict


def database_has_content():
    """Whether any account or content other than the migrations' exists."""
    # Rows that migrations load too (audiences) do not make a database non-empty.
    shared = backup_matched_models()
    models = [
        get_user_model(),
        *(model for model in content_models() if model not in shared),
        *history_models(),
    ]
    return any(model.objects.exists() for model in models)


def delete_content():
    """Remove all content, its history and accounts, children first (rows that migrations load
    too, such as audiences, are updated on import)."""
    for model in reversed(history_models()):
        model.objects.all().delete()
    shared = backup_matched_models()
    for model in reversed(content_models()):
        if model not in shared:
            model.objects.all().delete()
    get_user_model().objects.all().delete()


def read_document(stream):
    try:
        document = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        message = f"The file is not a JSON document: {error}"
        raise BackupError(message) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("The file is not a Kohtaamispaikat content export.")
    if document.get("version") not in READABLE_VERSIONS:
        raise BackupError(
            f"The export is of format version {document.get('version')}; "
            f"this version reads {', '.join(map(str, READABLE_VERSIONS))}."
        )
    return document


def import_content(stream, *, replace=False):
    """Load a document written by export_content. All or nothing: any error leaves the
    database as it was. Refuses a database with content unless ``replace`` is set, which
    deletes that content (and every account) first, in the same transaction."""
    document = read_document(stream)
    models = [*account_models(), *content_models(), *history_models()]
    counts = dict.fromkeys((model._meta.label for model in models), 0)
    with transaction.atomic():
        if database_has_content():
            if not replace:
                raise BackupError(
                    "The database already has accounts or content. Import into a freshly "
                    "migrated database, or use --replace to delete them first."
                )
            delete_content()
        matched_keys = {model: {} for model in backup_matched_models()}
        with connection.constraint_checks_disabled():
            try:
                for item in serializers.deserialize("python", document["objects"]):
                    _save(item, matched_keys)
                    counts[item.object._meta.label] += 1
            except (
                serializers.base.DeserializationError,
                DatabaseError,
                ValidationError,
                LookupError,
                TypeError,
                ValueError,
            ) as error:
                raise BackupError(str(error)) from error
        _delete_matched_rows_not_in(matched_keys)
        _follow_matched_keys_in_history(matched_keys)
        # Rows arrived in any order with their own keys; check references now that all are in.
        connection.check_constraints(table_names=[model._meta.db_table for model in models])
        _reset_sequences(models)
        bump_data_version()
    return ImportResult(counts=counts)


def _save(item, matched_keys):
    """Save one deserialized row. A row that migrations load too (an audience) takes the place
    of the one with the same natural field (or is added with a new key); many-to-many
    relations to such rows follow their new keys."""
    instance = item.object
    model = type(instance)
    matched_by = backup_matched_models()
    if model in matched_by:
        exported_pk = instance.pk
        field = matched_by[model]
        instance.pk = (
            model.objects.filter(**{field: getattr(instance, field)})
            .values_list("pk", flat=True)
            .first()
        )
        item.save()
        matched_keys[model][exported_pk] = instance.pk
        return
    for field in model._meta.many_to_many:
        related = field.remote_field.model
        if related in matched_keys and field.name in item.m2m_data:
            keys = matched_keys[related]
            item.m2m_data[field.name] = [keys[pk] for pk in item.m2m_data[field.name]]
    item.save()


def _follow_matched_keys_in_history(matched_keys):
    """Versions name rows by key; an audience whose key changed on import (it was matched by
    its natural field to another key) is renamed in them too, so reverting still finds it."""
    moved = {
        model: {old: new for old, new in keys.items() if old != new}
        for model, keys in matched_keys.items()
    }
    moved = {model: keys for model, keys in moved.items() if keys}
    if not moved:
        return
    for version in Version.objects.filter(format="json").iterator():
        data = json.loads(version.serialized_data)
        changed = False
        for item in data:
            model = _model_of_label(item.get("model"))
            if model is None:
                continue
            if model in moved and item.get("pk") in moved[model]:
                item["pk"] = moved[model][item["pk"]]
                version.object_id = str(item["pk"])
                changed = True
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if target not in moved or field.name not in item.get("fields", {}):
                    continue
                keys, value = moved[target], item["fields"][field.name]
                if isinstance(value, list):
                    item["fields"][field.name] = [keys.get(pk, pk) for pk in value]
                else:
                    item["fields"][field.name] = keys.get(value, value)
                changed = True
        if changed:
            version.serialized_data = json.dumps(data)
            version.save(update_fields=["serialized_data", "object_id"])


def _model_of_label(label):
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError, TypeError):
        return None


def _delete_matched_rows_not_in(matched_keys):
    for model, keys in matched_keys.items():
        model.objects.exclude(pk__in=list(keys.values())).delete()


def _reset_sequences(models):
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
