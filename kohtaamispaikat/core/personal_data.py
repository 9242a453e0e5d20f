"""Personal data (PRIVACY.md): one person's data exported or erased (GDPR articles 15 and 17),
and what is past its retention period expired.

The core names no app: each app's config declares its own, read here.

- ``personal_data = {model name: {"match": e-mail field, "fields": [personal fields]}}``: rows
  whose e-mail field is the person's address hold that person's data in those fields.
- ``retention = {model name: [({filter}, date field), …]}``: rows matching a filter whose date
  is older than PERSONAL_DATA_RETENTION_MONTHS are deleted by ``manage.py expire_personal_data``
  (unanswered suggestions, rejected proposals and listings), with their recorded versions.

Sign-in records (django-axes' logs of sign-ins and failures, with addresses) are deleted after
SIGN_IN_RECORDS_RETENTION_DAYS by the same command.

Accounts (``auth.User``) are the core's own: matched by e-mail address too.

Erasing pseudonymises rather than deletes: the rows and the change history that refers to them
stay (a place keeps its history, a revision its author), but the person's name, e-mail and phone
are replaced, in the rows and in every recorded version of them, by a pseudonym that is the same
for the same address (so one can still tell that two edits were by the same erased person) and
reveals nothing of it.
"""

import datetime
import hashlib
import hmac
import json

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from reversion.models import Version

from kohtaamispaikat.core.apps import content_apps

USER_FIELDS = ("username", "first_name", "last_name", "email")


def personal_data_declarations():
    """(model, e-mail field, personal fields) of every app."""
    for config in content_apps():
        for name, spec in getattr(config, "personal_data", {}).items():
            yield config.get_model(name), spec["match"], tuple(spec["fields"])


def retention_declarations():
    """(model, filter, date field) of every app."""
    for config in content_apps():
        for name, rules in getattr(config, "retention", {}).items():
            for filters, date_field in rules:
                yield config.get_model(name), dict(filters), date_field


def pseudonym(email):
    """The same for the same address, and no way back to it without the secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), email.strip().casefold().encode(), hashlib.sha256
    )
    return f"erased-{digest.hexdigest()[:12]}"


def _erased_value(field, alias):
    if field.blank:
        return ""
    if isinstance(field, models.EmailField):
        return f"{alias}@erased.invalid"
    return alias[: field.max_length] if field.max_length else alias


def _users(email):
    return get_user_model().objects.filter(email__iexact=email.strip())


def _records(email):
    """(model, e-mail field, personal fields, rows) holding ``email``."""
    for model, match, fields in personal_data_declarations():
        rows = model._default_manager.filter(**{f"{match}__iexact": email.strip()})
        yield model, match, fields, rows


def export_person(email):
    """Everything stored about the person with ``email`` (GDPR article 15), as plain data."""
    accounts = []
    for user in _users(email):
        accounts.append(
            {
                **{name: getattr(user, name) for name in USER_FIELDS},
                "date_joined": user.date_joined.isoformat(),
                "last_login": user.last_login.isoformat() if user.last_login else None,
                "is_active": user.is_active,
                "groups": list(user.groups.values_list("name", flat=True)),
                "sign_ins": [
                    {
                        "time": log.attempt_time.isoformat(),
                        "address": log.ip_address,
                        "user_agent": log.user_agent,
                    }
                    for log in AccessLog.objects.filter(username=user.username)
                ],
                "failed_sign_ins": [
                    {"time": log.attempt_time.isoformat(), "address": log.ip_address}
                    for log in AccessFailureLog.objects.filter(username=user.username)
                ],
            }
        )
    records = []
    for model, _match, fields, rows in _records(email):
        for row in rows:
            records.append(
                {
                    "kind": str(model._meta.verbose_name),
                    "model": model._meta.label,
                    "id": row.pk,
                    "what": str(row),
                    "fields": {name: getattr(row, name) for name in fields},
                }
            )
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "accounts": accounts,
        "records": records,
    }


def has_personal_data(email):
    return _users(email).exists() or any(rows.exists() for *_spec, rows in _records(email))


@transaction.atomic
def erase_person(email):
    """Pseudonymise the person with ``email`` everywhere (GDPR article 17); returns how many
    accounts, rows and recorded versions changed. All or nothing."""
    email = email.strip()
    alias = pseudonym(email)
    counts = {"accounts": 0, "records": 0, "versions": 0}
    for model, match, fields, rows in _records(email):
        erased = {name: _erased_value(model._meta.get_field(name), alias) for name in fields}
        for row in rows.select_for_update():
            old_text = str(row)
            for name, value in erased.items():
                setattr(row, name, value)
            # A queryset update: the row's edit count and timestamps stay, so that erasing is
            # not mistaken for an edit (nor records a version holding the old values).
            model._default_manager.filter(pk=row.pk).update(**erased)
            _rename_in_logs(model, row.pk, old_text, str(row))
            counts["records"] += 1
        counts["versions"] += _erase_in_versions(model, match, email, erased)
    for user in _users(email).select_for_update():
        old_username = user.username
        user.username = alias[: user._meta.get_field("username").max_length]
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        for relation in user._meta.related_objects:
            if relation.many_to_many:
                getattr(user, relation.get_accessor_name()).clear()
        for record in (AccessAttempt, AccessLog, AccessFailureLog):
            record.objects.filter(username=old_username).delete()
        counts["accounts"] += 1
    return counts


def _erase_in_versions(model, match, email, erased):
    """The recorded versions of ``model`` that hold ``email``, with its person replaced."""
    changed = 0
    content_type = ContentType.objects.get_for_model(model)
    versions = Version.objects.filter(
        content_type=content_type, serialized_data__icontains=email
    ).select_for_update()
    for version in versions:
        if version.format != "json":
            continue
        data = json.loads(version.serialized_data)
        for item in data:
            fields = item.get("fields", {})
            if str(fields.get(match, "")).strip().casefold() == email.casefold():
                old_values = [str(fields[name]) for name in erased if fields.get(name)]
                fields.update(erased)
                version.serialized_data = json.dumps(data)
                version.object_repr = _without(version.object_repr, old_values, erased)
                version.save(update_fields=["serialized_data", "object_repr"])
                changed += 1
    return changed


def _without(text, old_values, erased):
    replacement = next((value for value in erased.values() if value), "")
    for value in old_values:
        text = text.replace(value, replacement)
    return text


def _rename_in_logs(model, pk, old_text, new_text):
    if old_text == new_text:
        return
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
    ).update(object_repr=new_text[:200])
    Version.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
    ).filter(object_repr=old_text).update(object_repr=new_text)


def months_before(moment, months):
    """``moment`` ``months`` calendar months earlier (the last day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def expire_past_retention(*, now=None, dry_run=False):
    """Delete what the apps declare past retention, with its recorded versions; returns
    {model label: count}. All or nothing."""
    now = now or timezone.now()
    cutoff = months_before(now, settings.PERSONAL_DATA_RETENTION_MONTHS)
    counts = {}
    with transaction.atomic():
        for model, filters, date_field in retention_declarations():
            field = model._meta.get_field(date_field)
            limit = cutoff if isinstance(field, models.DateTimeField) else cutoff.date()
            rows = model._default_manager.filter(**filters, **{f"{date_field}__lt": limit})
            keys = [str(pk) for pk in rows.values_list("pk", flat=True)]
            label = model._meta.label
            counts[label] = counts.get(label, 0) + len(keys)
            if dry_run or not keys:
                continue
            Version.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=keys
            ).delete()
            model._default_manager.filter(pk__in=keys).delete()
        sign_ins_before = now - datetime.timedelta(days=settings.SIGN_IN_RECORDS_RETENTION_DAYS)
        for record in (AccessLog, AccessFailureLog):
            old = record.objects.filter(attempt_time__lt=sign_ins_before)
            counts[record._meta.label] = old.count()
            if not dry_run:
                old.delete()
    return counts
