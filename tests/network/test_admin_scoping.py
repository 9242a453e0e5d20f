"""Who manages which network rows in the admin.

A coordinator of Keski-Suomi (13) must not see, change, publish, delete or even learn of a
meeting of Uusimaa (01) by any admin URL; organisation staff prepare drafts and cannot publish,
however the request is crafted.
"""

import datetime as dt

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from network.models import Coordinator, Meeting, Outcome
from tests.factories import (
    CoordinatorFactory,
    HeldMeetingFactory,
    MeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    PlaceFactory,
    UserFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

MISSING_PK = 987654321


def login(client, user):
    client.force_login(user)
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:network_{model}_{view}", args=args)


def answer(client, url, method="get", data=None):
    client.cookies.pop("messages", None)  # only this request's messages
    response = getattr(client, method)(url, data or {})
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location"), texts


def assert_answers_like_a_missing_row(client, model, obj, view, method="get", data=None):
    seen = answer(client, admin_url(model, view, obj.pk), method, data)
    missing = answer(client, admin_url(model, view, MISSING_PK), method, data)
    assert seen[:2] == missing[:2] == (302, reverse("admin:index"))
    assert len(seen[2]) == 1
    assert [text.replace(str(obj.pk), "ID") for text in seen[2]] == [
        text.replace(str(MISSING_PK), "ID") for text in missing[2]
    ]


def meeting_form(regions, **overrides):
    """What the admin's meeting form posts (times in Helsinki, ISO format)."""
    start = timezone.localtime(timezone.now() + dt.timedelta(days=14)).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    data = {
        "title": "Alueellinen verkostopäivä",
        "slug": "alueellinen-verkostopaiva",
        "kind": Meeting.Kind.NETWORK_DAYS,
        "status": Meeting.Status.DRAFT,
        "start_0": start.date().isoformat(),
        "start_1": "13:00:00",
        "end_0": start.date().isoformat(),
        "end_1": "16:00:00",
        "regions": [region.pk for region in regions],
        "venue": "",
        "venue_address": "Kauppakatu 1, 40100 Jyväskylä",
        "online_url": "",
        "description": "",
        "agenda": "",
        "registration_url": "",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "organizer": "",
        "contact": "",
    }
    data.update(overrides)
    return data


def form_errors(response):
    assert response.status_code == 200, response.get("Location")
    return response.context["adminform"].form.errors


# --- A coordinator of region 13 and a meeting of region 01, on every admin URL --------------


@pytest.fixture
def coordinator(client, coordinator_13):
    return login(client, coordinator_13)


def test_coordinator_changelist_lists_only_meetings_of_their_regions(
    coordinator, meeting_13, meeting_01
):
    response = coordinator.get(admin_url("meeting", "changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [meeting_13]
    assert meeting_01.title not in response.content.decode()


def test_coordinator_search_does_not_find_another_regions_meeting(coordinator, meeting_01):
    response = coordinator.get(admin_url("meeting", "changelist"), {"q": "Uudenmaan"})
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_coordinator_url_of_another_regions_meeting_answers_like_a_missing_one(
    coordinator, meeting_01, view
):
    assert_answers_like_a_missing_row(coordinator, "meeting", meeting_01, view)


def test_coordinator_crafted_post_to_another_regions_meeting_changes_nothing(
    coordinator, meeting_01, keski_suomi
):
    data = meeting_form([keski_suomi], title="Kaapattu", slug=meeting_01.slug)
    assert_answers_like_a_missing_row(coordinator, "meeting", meeting_01, "change", "post", data)
    meeting_01.refresh_from_db()
    assert meeting_01.title == "Uudenmaan verkosto"


def test_coordinator_crafted_delete_of_another_regions_meeting_deletes_nothing(
    coordinator, meeting_01
):
    data = {"post": "yes"}
    assert_answers_like_a_missing_row(coordinator, "meeting", meeting_01, "delete", "post", data)
    assert Meeting.objects.filter(pk=meeting_01.pk).exists()


def test_coordinator_actions_leave_another_regions_meeting_alone(coordinator, uusimaa):
    draft_01 = MeetingFactory(status=Meeting.Status.DRAFT, regions=[uusimaa])
    published_01 = MeetingFactory(regions=[uusimaa])
    for action, meeting in [("publish", draft_01), ("cancel", published_01)]:
        coordinator.post(
            admin_url("meeting", "changelist"),
            {"action": action, "_selected_action": [meeting.pk]},
        )
    draft_01.refresh_from_db()
    published_01.refresh_from_db()
    assert draft_01.status == Meeting.Status.DRAFT
    assert published_01.status == Meeting.Status.PUBLISHED


def test_coordinator_raw_id_popup_lists_only_meetings_of_their_regions(
    coordinator, meeting_13, meeting_01
):
    response = coordinator.get(
        admin_url("meeting", "changelist"), {"_to_field": "id", "_popup": "1"}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [meeting_13]


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "network", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_meeting_autocomplete_for_an_outcome_offers_held_meetings_of_their_regions_only(
    coordinator, keski_suomi, uusimaa
):
    held_13 = HeldMeetingFactory(title="Pidetty Jyväskylässä", regions=[keski_suomi])
    HeldMeetingFactory(title="Pidetty Helsingissä", regions=[uusimaa])
    MeetingFactory(title="Tuleva Jyväskylässä", regions=[keski_suomi])
    OutcomeFactory(meeting=HeldMeetingFactory(title="Kirjattu jo", regions=[keski_suomi]))
    assert autocomplete(coordinator, "outcome", "meeting") == [held_13.title]


def test_contact_autocomplete_offers_coordinators_covering_their_regions(
    coordinator, coordinator_13, uusimaa
):
    colleague = CoordinatorFactory(name="Kollega", municipalities=[municipality("179")])
    CoordinatorFactory(name="Helsinkiläinen", regions=[uusimaa])
    assert sorted(autocomplete(coordinator, "meeting", "contact")) == sorted(
        [str(colleague), str(coordinator_13.coordinator)]
    )


def test_coordinator_cannot_place_a_new_meeting_in_another_region(coordinator, uusimaa):
    response = coordinator.post(admin_url("meeting", "add"), meeting_form([uusimaa]))
    assert "regions" in form_errors(response)
    assert not Meeting.objects.exists()


def test_coordinator_is_offered_only_their_regions(coordinator):
    response = coordinator.get(admin_url("meeting", "add"))
    regions = response.context["adminform"].form.fields["regions"].queryset
    assert [region.code for region in regions] == ["13"]


def test_coordinator_creates_and_publishes_a_meeting_in_their_region(coordinator, keski_suomi):
    data = meeting_form([keski_suomi], status=Meeting.Status.PUBLISHED)
    response = coordinator.post(admin_url("meeting", "add"), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at is not None
    assert list(meeting.regions.all()) == [keski_suomi]


def test_editing_a_shared_meeting_keeps_the_region_the_coordinator_does_not_see(
    coordinator, keski_suomi, uusimaa
):
    shared = MeetingFactory(slug="yhteinen", regions=[keski_suomi, uusimaa])
    data = meeting_form(
        [keski_suomi], title="Yhteinen päivä", slug="yhteinen", loaded_edit_count=shared.edit_count
    )
    response = coordinator.post(admin_url("meeting", "change", shared.pk), data)
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.title == "Yhteinen päivä"
    assert sorted(region.code for region in shared.regions.all()) == ["01", "13"]


def test_coordinator_outcome_urls_of_another_region_answer_like_missing_ones(coordinator, uusimaa):
    outcome = OutcomeFactory(meeting=HeldMeetingFactory(regions=[uusimaa]))
    for view in ["change", "delete", "history"]:
        assert_answers_like_a_missing_row(coordinator, "outcome", outcome, view)
    changelist = coordinator.get(admin_url("outcome", "changelist"))
    assert changelist.context["cl"].result_count == 0


def test_coordinator_cannot_record_an_outcome_for_another_regions_meeting(coordinator, uusimaa):
    meeting_01 = HeldMeetingFactory(regions=[uusimaa])
    response = coordinator.post(admin_url("outcome", "add"), outcome_form(meeting_01))
    assert "meeting" in form_errors(response)
    assert not Outcome.objects.exists()


# --- Coordinators maintained by regional coordinators ----------------------------------------


def test_coordinator_maintains_coordinators_whose_areas_lie_in_their_regions(
    coordinator, keski_suomi, uusimaa
):
    local = CoordinatorFactory(name="Jyväskylän koordinaattori", regions=[keski_suomi])
    straddling = CoordinatorFactory(name="Kahden maakunnan", regions=[keski_suomi, uusimaa])
    elsewhere = CoordinatorFactory(name="Helsingin koordinaattori", regions=[uusimaa])

    changelist = coordinator.get(admin_url("coordinator", "changelist"))
    listed = set(changelist.context["cl"].result_list)
    assert local in listed and straddling in listed and elsewhere not in listed

    assert coordinator.get(admin_url("coordinator", "change", local.pk)).context[
        "has_change_permission"
    ]
    # Visible as a colleague, but only a coordinator of both regions may change it.
    assert not coordinator.get(admin_url("coordinator", "change", straddling.pk)).context[
        "has_change_permission"
    ]
    response = coordinator.post(admin_url("coordinator", "delete", straddling.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Coordinator.objects.filter(pk=straddling.pk).exists()
    for view in ["change", "delete", "history"]:
        assert_answers_like_a_missing_row(coordinator, "coordinator", elsewhere, view)


def coordinator_form(**overrides):
    data = {
        "name": "Uusi koordinaattori",
        "title": "perhekeskuskoordinaattori",
        "organization": "",
        "regions": [],
        "municipalities": [],
        "email": "uusi@example.org",
        "phone": "",
        "introduction": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_cannot_give_a_coordinator_an_area_outside_their_regions(coordinator):
    response = coordinator.post(
        admin_url("coordinator", "add"), coordinator_form(municipalities=["091"])
    )
    assert "municipalities" in form_errors(response)
    response = coordinator.post(admin_url("coordinator", "add"), coordinator_form())
    assert form_errors(response)["__all__"]
    assert not Coordinator.objects.filter(name="Uusi koordinaattori").exists()


def test_coordinator_cannot_hand_out_admin_access(coordinator, site_admin):
    data = coordinator_form(municipalities=["179"], user=site_admin.pk)
    response = coordinator.post(admin_url("coordinator", "add"), data)
    assert response.status_code == 302
    created = Coordinator.objects.get(name="Uusi koordinaattori")
    assert created.user is None
    assert [m.code for m in created.municipalities.all()] == ["179"]


def test_linking_a_user_account_gives_it_the_coordinator_role(client, site_admin):
    person = UserFactory(username="uusi.koordinaattori", is_staff=False)
    login(client, site_admin)
    data = coordinator_form(regions=["13"], user=person.pk)
    assert client.post(admin_url("coordinator", "add"), data).status_code == 302
    person.refresh_from_db()
    assert person.is_staff
    assert person.groups.filter(name="Regional coordinators").exists()
    login(client, person)
    changelist = client.get(admin_url("meeting", "changelist"))
    assert changelist.status_code == 200


def test_coordinator_cannot_delete_their_own_record(coordinator, coordinator_13):
    own = coordinator_13.coordinator
    coordinator.post(admin_url("coordinator", "delete", own.pk), {"post": "yes"})
    assert Coordinator.objects.filter(pk=own.pk).exists()


# --- Organisation staff: drafts of their own organisation, never published ----------------


@pytest.fixture
def staff(client, staff_user):
    return login(client, staff_user)


def test_staff_crafted_post_with_published_status_is_refused(staff, organization, keski_suomi):
    data = meeting_form([keski_suomi], status=Meeting.Status.PUBLISHED, organizer=organization.pk)
    response = staff.post(admin_url("meeting", "add"), data)
    assert "status" in form_errors(response)
    assert not Meeting.objects.exists()


def test_staff_cannot_publish_their_draft_by_editing_it(staff, organization, keski_suomi):
    draft = MeetingFactory(
        status=Meeting.Status.DRAFT, organizer=organization, slug="luonnos", regions=[keski_suomi]
    )
    data = meeting_form(
        [keski_suomi], slug="luonnos", status=Meeting.Status.PUBLISHED, organizer=organization.pk
    )
    response = staff.post(admin_url("meeting", "change", draft.pk), data)
    assert "status" in form_errors(response)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT


def test_staff_cannot_publish_with_the_action(staff, organization):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, organizer=organization)
    response = staff.post(
        admin_url("meeting", "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT


def test_staff_prepares_a_draft_for_their_organisation(staff, organization, keski_suomi):
    data = meeting_form([keski_suomi], organizer=organization.pk)
    response = staff.post(admin_url("meeting", "add"), data)
    assert response.status_code == 302
    draft = Meeting.objects.get()
    assert (draft.status, draft.organizer, draft.published_at) == (
        Meeting.Status.DRAFT,
        organization,
        None,
    )


def test_staff_draft_must_name_their_organisation(staff, organization, keski_suomi):
    other = OrganizationFactory()
    response = staff.post(admin_url("meeting", "add"), meeting_form([keski_suomi]))
    assert "organizer" in form_errors(response)
    response = staff.post(
        admin_url("meeting", "add"), meeting_form([keski_suomi], organizer=other.pk)
    )
    assert "organizer" in form_errors(response)


def test_staff_see_only_their_organisations_drafts(staff, organization, meeting_13):
    own_draft = MeetingFactory(status=Meeting.Status.DRAFT, organizer=organization)
    MeetingFactory(status=Meeting.Status.DRAFT, organizer=OrganizationFactory())
    MeetingFactory(organizer=organization)  # published: the coordinator's now
    response = staff.get(admin_url("meeting", "changelist"))
    assert list(response.context["cl"].result_list) == [own_draft]
    assert_answers_like_a_missing_row(staff, "meeting", meeting_13, "change")


@pytest.mark.parametrize("model", ["coordinator", "outcome"])
def test_staff_have_no_access_to_coordinators_or_outcomes(staff, model):
    assert staff.get(admin_url(model, "changelist")).status_code == 403


def test_a_staff_user_without_a_role_has_no_network_access(client):
    login(client, UserFactory())
    assert client.get(admin_url("meeting", "changelist")).status_code == 403


# --- Site admins: everything ------------------------------------------------------------------


def test_site_admin_sees_every_region(client, site_admin, meeting_13, meeting_01):
    login(client, site_admin)
    response = client.get(admin_url("meeting", "changelist"))
    assert set(response.context["cl"].result_list) == {meeting_13, meeting_01}
    regions = client.get(admin_url("meeting", "add")).context["adminform"].form.fields["regions"]
    assert regions.queryset.count() == 19


# --- Validation in the admin form: each rule shown on its field ------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_1": "12:00:00"}, "end"),
        (
            {"registration_deadline_0": "2099-01-01", "registration_deadline_1": "00:00:00"},
            "registration_deadline",
        ),
        ({"status": Meeting.Status.PUBLISHED, "venue_address": ""}, "venue_address"),
        ({"start_0": "", "start_1": ""}, "start"),
    ],
)
def test_meeting_form_rules(coordinator, keski_suomi, overrides, field):
    response = coordinator.post(
        admin_url("meeting", "add"), meeting_form([keski_suomi], **overrides)
    )
    assert field in form_errors(response)
    assert not Meeting.objects.exists()


def test_a_venue_from_the_directory_is_enough_to_publish(coordinator, keski_suomi):
    venue = PlaceFactory()
    data = meeting_form(
        [keski_suomi], status=Meeting.Status.PUBLISHED, venue_address="", venue=venue.pk
    )
    assert coordinator.post(admin_url("meeting", "add"), data).status_code == 302
    assert Meeting.objects.get().venue == venue


def outcome_form(meeting, follow_ups=(), **overrides):
    data = {
        "meeting": meeting.pk,
        "participants_associations": "12",
        "participants_municipality": "5",
        "participants_wellbeing_county": "3",
        "participants_parish": "0",
        "participants_education": "0",
        "participants_business": "0",
        "participants_residents": "0",
        "participants_other": "0",
        "feedback_average": "3.4",
        "feedback_respondents": "15",
        "themes": "Nuorten tilat",
        "follow_ups-TOTAL_FORMS": str(len(follow_ups)),
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
    }
    for index, (code, plan) in enumerate(follow_ups):
        data[f"follow_ups-{index}-municipality"] = code
        data[f"follow_ups-{index}-plan"] = plan
    data.update(overrides)
    return data


def test_coordinator_records_an_outcome_with_follow_up_plans(coordinator, keski_suomi):
    meeting = HeldMeetingFactory(regions=[keski_suomi])
    data = outcome_form(meeting, follow_ups=[("179", "Uusi perhekahvila"), ("182", "Kerho")])
    response = coordinator.post(admin_url("outcome", "add"), data)
    assert response.status_code == 302
    outcome = meeting.outcome
    assert outcome.participants_total == 20
    assert sorted(f.municipality.code for f in outcome.follow_ups.all()) == ["179", "182"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"feedback_average": "4.5"}, "feedback_average"),
        ({"feedback_average": "0.5"}, "feedback_average"),
        ({"feedback_respondents": "0"}, "feedback_respondents"),
        ({"participants_parish": "-1"}, "participants_parish"),
    ],
)
def test_outcome_form_rules(coordinator, keski_suomi, overrides, field):
    meeting = HeldMeetingFactory(regions=[keski_suomi])
    response = coordinator.post(admin_url("outcome", "add"), outcome_form(meeting, **overrides))
    assert field in form_errors(response)
    assert not Outcome.objects.exists()


def test_follow_up_plans_only_for_municipalities_of_their_regions(coordinator, keski_suomi):
    meeting = HeldMeetingFactory(regions=[keski_suomi])
    data = outcome_form(meeting, follow_ups=[("091", "Helsingin suunnitelma")])
    response = coordinator.post(admin_url("outcome", "add"), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["municipality"]
    assert not Outcome.objects.exists()


def test_the_outcome_of_an_upcoming_meeting_cannot_be_recorded(coordinator, keski_suomi):
    meeting = MeetingFactory(regions=[keski_suomi])
    response = coordinator.post(admin_url("outcome", "add"), outcome_form(meeting))
    assert "meeting" in form_errors(response)


# --- Actions ----------------------------------------------------------------------------------


def test_publish_action_publishes_drafts_with_a_place_and_reports_the_others(
    coordinator, keski_suomi
):
    ready = MeetingFactory(status=Meeting.Status.DRAFT, regions=[keski_suomi])
    placeless = MeetingFactory(status=Meeting.Status.DRAFT, venue_address="", regions=[keski_suomi])
    response = coordinator.post(
        admin_url("meeting", "changelist"),
        {"action": "publish", "_selected_action": [ready.pk, placeless.pk]},
        follow=True,
    )
    ready.refresh_from_db()
    placeless.refresh_from_db()
    assert ready.status == Meeting.Status.PUBLISHED and ready.published_at is not None
    assert placeless.status == Meeting.Status.DRAFT
    levels = [message.level for message in response.context["messages"]]
    assert levels == [messages.SUCCESS, messages.WARNING]


def test_cancel_action_keeps_the_meeting_public_and_marked(coordinator, meeting_13):
    coordinator.post(
        admin_url("meeting", "changelist"),
        {"action": "cancel", "_selected_action": [meeting_13.pk]},
    )
    meeting_13.refresh_from_db()
    assert meeting_13.status == Meeting.Status.CANCELLED
    assert meeting_13 in Meeting.objects.public()


def test_a_held_meeting_links_to_recording_its_outcome(coordinator, keski_suomi):
    meeting = HeldMeetingFactory(regions=[keski_suomi])
    add_url = f"{admin_url('outcome', 'add')}?meeting={meeting.pk}"
    assert add_url in coordinator.get(admin_url("meeting", "change", meeting.pk)).content.decode()
    form = coordinator.get(add_url).context["adminform"].form
    assert form.initial["meeting"] == str(meeting.pk)
    OutcomeFactory(meeting=meeting)
    outcome_url = admin_url("outcome", "change", meeting.outcome.pk)
    assert (
        outcome_url in coordinator.get(admin_url("meeting", "change", meeting.pk)).content.decode()
    )
