"""Associations joining by themselves (#16): who is told of a proposal, and its approval or
rejection.

A proposal is stored first and told afterwards, like a suggestion: a mail server that refuses
loses no proposal. Approval is one transaction: the organisation (created or linked), the place
with its hours, and the contact person's staff account are made together or not at all; the
e-mail with the link to set a password goes after it has been committed.
"""

import logging
import smtplib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.history import record_versions
from kohtaamispaikat.core.mail import absolute_url, preferred_language, send_message
from kohtaamispaikat.core.models import UserProfile
from kohtaamispaikat.core.public_forms import one_line
from places.forms import adds_self_to_staff
from places.models import Organization, Place, PlaceProposal
from places.roles import ORGANISATION_STAFF_GROUP, ManagementScope, region_coordinator_users
from places.validators import RESERVED_PLACE_SLUGS

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError)


class ApprovalRefused(Exception):
    """Why a proposal cannot be approved as it is; nothing was saved."""

    def __init__(self, messages):
        super().__init__(*messages)
        self.messages = [str(message) for message in messages]


@dataclass
class Approval:
    place: Place
    organization: Organization
    organization_created: bool
    account: object
    account_created: bool
    mailed: bool = False


def proposal_recipients(proposal):
    """The coordinators of the place's region; site admins when the region has none, so that
    no proposal waits unseen."""
    users = region_coordinator_users(proposal.municipality.region_id)
    if not users.exists():
        users = get_user_model().objects.filter(is_active=True, is_superuser=True).exclude(email="")
    return get_user_model().objects.filter(pk__in=users.values("pk")).select_related("profile")


def tell_coordinators(proposal):
    """E-mail the region's coordinators, each in their language. Returns how many were told."""
    told = 0
    for user in proposal_recipients(proposal).order_by("pk"):
        context = {
            "organization_name": one_line(proposal.organization_name),
            "place_name": one_line(proposal.place_name),
            "municipality": proposal.municipality,
            "handle_url": absolute_url(proposal.admin_url()),
        }
        try:
            send_message("proposal_received", context, [user.email], preferred_language(user))
        except MAIL_ERRORS:
            logger.exception("Could not tell %s of proposal %s", user.pk, proposal.pk)
            continue
        told += 1
    return told


def approve(proposal, *, user, publish):
    """Approve ``proposal`` as ``user``: the place (published or a draft), its organisation and
    the contact person's staff account, all in one transaction, then the e-mail to the contact
    person. Raises ApprovalRefused with the reasons when it cannot be done; nothing is saved
    then."""
    scope = ManagementScope.for_user(user)
    try:
        with transaction.atomic():
            locked = (
                PlaceProposal.objects.select_for_update(of=("self",))
                .select_related("municipality", "organization")
                .filter(pk=proposal.pk)
                .first()
            )
            if locked is None or not locked.is_pending:
                raise ApprovalRefused([_("This proposal has already been handled.")])
            if not scope.everything and locked.municipality.region_id not in scope.region_codes:
                raise ApprovalRefused([_("This proposal is not in your regions.")])
            organization, organization_created = _organization(locked, scope)
            place = _place(locked, organization, publish)
            _weekly_hours(locked, place)
            account, account_created = _account(locked, organization, user)
            locked.status = PlaceProposal.Status.APPROVED
            locked.handled_by, locked.handled_at = user, timezone.now()
            locked.organization, locked.place, locked.account = organization, place, account
            locked.save()
            record_versions(
                [organization, place] if organization_created else [place],
                user=user,
                comment=_("Created from a place proposal."),
            )
    except ValidationError as error:
        raise ApprovalRefused(error.messages) from error
    except IntegrityError as error:
        # Someone created the same slug, username or business ID at the same moment.
        raise ApprovalRefused([_("Saving failed; nothing was saved. Please try again.")]) from error
    proposal.refresh_from_db()
    approval = Approval(place, organization, organization_created, account, account_created)
    approval.mailed = _tell_approved(proposal, approval)
    return approval


def _organization(proposal, scope):
    """The proposal's organisation: the existing one chosen, or a new one."""
    organization = proposal.organization
    if organization is not None:
        # The contact person becomes staff of the organisation, with every place it has: only
        # someone who may change its staff may let them in.
        if not scope.maintains(organization):
            raise ApprovalRefused(
                [
                    _(
                        "“%(organisation)s” has places or meetings outside your regions, so you "
                        "cannot add staff to it. Ask a site administrator to approve, or clear "
                        "the existing organisation to create a new one."
                    )
                    % {"organisation": organization.name}
                ]
            )
        return organization, False
    organization = Organization(
        name=proposal.organization_name,
        slug=_unique_organization_slug(proposal.organization_name),
        business_id=proposal.business_id,
    )
    organization.full_clean()
    organization.save()
    return organization, True


def _unique_organization_slug(name):
    max_length = Organization._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 6] or "organisaatio"
    used = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidates = [base, *(f"{base}-{number}" for number in range(2, 10_000))]
    return next(candidate for candidate in candidates if candidate not in used)


def _unique_place_slug(name, municipality):
    max_length = Place._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 10] or "paikka"
    used = {
        *Place.objects.filter(slug__startswith=base).values_list("slug", flat=True),
        *RESERVED_PLACE_SLUGS,
    }
    with_municipality = f"{base}-{municipality.slug}"[: max_length - 5]
    candidates = [base, with_municipality]
    candidates += (f"{with_municipality}-{number}" for number in range(2, 10_000))
    return next(candidate for candidate in candidates if candidate not in used)


def _place(proposal, organization, publish):
    place = Place(
        name=proposal.place_name,
        slug=_unique_place_slug(proposal.place_name, proposal.municipality),
        organization=organization,
        municipality=proposal.municipality,
        street_address=proposal.street_address,
        postal_code=proposal.postal_code,
        postal_town=proposal.postal_town,
        description=proposal.description,
        hours_note=proposal.hours_text,
        contact_name=proposal.contact_name,
        email=proposal.contact_email,
        is_published=publish,
        # The coordinator has just read the information: that confirms it.
        last_verified=timezone.localdate(),
    )
    place.full_clean()
    place.save()
    place.audiences.set(proposal.audiences.all())
    return place


def _weekly_hours(proposal, place):
    for rule in proposal.weekly_rules():
        rule.place = place
        rule.full_clean()
        rule.save()


def _account(proposal, organization, approver):
    """The contact person's account: an existing one with the address, else a new staff
    account without a password (they set one through the e-mailed link)."""
    users = get_user_model().objects.filter(email__iexact=proposal.contact_email.strip())
    existing = list(users.order_by("pk")[:2])
    if len(existing) > 1:
        raise ApprovalRefused(
            [_("Several accounts have this e-mail address. Ask a site administrator.")]
        )
    group = Group.objects.get(name=ORGANISATION_STAFF_GROUP)
    if existing:
        account = existing[0]
        if not account.is_active:
            raise ApprovalRefused(
                [_("The account with this e-mail address is closed. Ask a site administrator.")]
            )
        members = set(organization.members.values_list("pk", flat=True))
        if adds_self_to_staff(approver, members, {*members, account.pk}):
            raise ApprovalRefused(
                [
                    _(
                        "You cannot add yourself to the staff of an organisation; ask a site "
                        "administrator."
                    )
                ]
            )
        if not account.is_staff:
            account.is_staff = True
            account.save(update_fields=["is_staff"])
        account.groups.add(group)
        organization.members.add(account)
        return account, False
    first_name, _space, last_name = proposal.contact_name.strip().rpartition(" ")
    if not first_name:
        first_name, last_name = last_name, ""
    account = get_user_model()(
        username=_unique_username(proposal.contact_email),
        email=proposal.contact_email.strip(),
        first_name=first_name[:150],
        last_name=last_name[:150],
        is_staff=True,
    )
    account.set_unusable_password()
    account.full_clean(exclude=["password"])
    account.save()
    UserProfile.objects.create(user=account, language=proposal.language)
    account.groups.add(group)
    organization.members.add(account)
    return account, True


def _unique_username(email):
    model = get_user_model()
    max_length = model._meta.get_field("username").max_length
    base = slugify(email.split("@")[0]).replace("-", ".")[: max_length - 6] or "henkilokunta"
    used = set(model.objects.filter(username__startswith=base).values_list("username", flat=True))
    candidates = [base, *(f"{base}{number}" for number in range(2, 10_000))]
    return next(candidate for candidate in candidates if candidate not in used)


def password_link(account, language):
    """The address where ``account`` sets its password (Django's password-reset token), in
    ``language``."""
    with translation.override(language):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
                "token": default_token_generator.make_token(account),
            },
        )
    return absolute_url(path)


def _admin_link(language):
    with translation.override(language):
        return absolute_url(reverse("admin:index"))


def _tell_approved(proposal, approval):
    language = proposal.language
    account = approval.account
    context = {
        "place_name": one_line(approval.place.name),
        "organization_name": one_line(approval.organization.name),
        "published": approval.place.is_published,
        "username": account.get_username(),
        "password_url": password_link(account, language)
        if not account.has_usable_password()
        else "",
        "admin_url": _admin_link(language),
    }
    try:
        send_message("proposal_approved", context, [proposal.contact_email], language)
    except MAIL_ERRORS:
        logger.exception("Could not tell the contact person of proposal %s", proposal.pk)
        return False
    return True


def reject(proposal, *, user, note):
    """Reject ``proposal`` with ``note`` as the reason, sent to the contact person. Returns
    whether it was rejected now (of two people handling it at once, the first counts) and
    whether the e-mail went."""
    scope = ManagementScope.for_user(user)
    if not scope.everything and proposal.municipality.region_id not in scope.region_codes:
        raise ApprovalRefused([_("This proposal is not in your regions.")])
    handled_at = timezone.now()
    with transaction.atomic():
        rejected = (
            PlaceProposal.objects.pending()
            .filter(pk=proposal.pk)
            .update(
                status=PlaceProposal.Status.REJECTED,
                handled_by=user,
                handled_at=handled_at,
                note=note,
            )
        )
    proposal.refresh_from_db()
    if not rejected:
        return False, False
    context = {
        "place_name": one_line(proposal.place_name),
        "organization_name": one_line(proposal.organization_name),
        "note": note,
    }
    try:
        send_message("proposal_rejected", context, [proposal.contact_email], proposal.language)
    except MAIL_ERRORS:
        logger.exception("Could not tell the contact person of rejected proposal %s", proposal.pk)
        return True, False
    return True, True
