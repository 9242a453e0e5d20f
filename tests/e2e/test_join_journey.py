"""An association adds its place (#16), the whole way in a real browser: the public form, a
coordinator's approval in the admin, and the new staff member setting a password from the
e-mailed link, signing in and seeing exactly their organisation's place."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from places.models import Place, PlaceProposal
from tests.e2e.helpers import axe_violations, describe_violations
from tests.factories import OrganizationFactory, PlaceFactory, audience, regional_coordinator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COORDINATOR_PASSWORD = "correct horse battery staple"  # UserFactory's
NEW_PASSWORD = "Kylätalon-olohuone-2026"


def sign_in(page, site_url, username, password):
    page.goto(site_url("/admin/"))
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-form").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_an_association_joins_and_its_contact_person_keeps_the_place(browser, page, site_url):
    regional_coordinator("13", username="kaisa", email="kaisa@example.org")
    neighbour = PlaceFactory(
        name="Naapurin olohuone", organization=OrganizationFactory(name="Naapuri ry")
    )

    # The municipality page leads to the form, with the municipality chosen.
    page.goto(site_url("/municipalities/jyvaskyla/"))
    page.get_by_role("link", name=re.compile("Lisää se hakemistoon")).click()
    expect(page).to_have_url(re.compile(r"/join/\?municipality=179$"))
    form = page.locator("form.join-form")
    expect(form.get_by_label("Kunta")).to_have_value("179")
    problems = describe_violations("/join/", axe_violations(page))
    assert not problems, "\n".join(problems)

    form.get_by_label("Organisaation nimi").fill("Kylätaloyhdistys ry")
    form.get_by_label("Y-tunnus").fill("0737546-2")
    form.get_by_label("Yhteyshenkilö", exact=True).fill("Maija Meikäläinen")
    form.get_by_label("Yhteyshenkilön sähköposti").fill("maija@example.org")
    form.get_by_label("Paikan nimi").fill("Kylätalon olohuone")
    form.get_by_label("Katuosoite").fill("Kylätie 5")
    form.get_by_label("Postinumero").fill("40100")
    form.get_by_label("Postitoimipaikka").fill("Jyväskylä")
    form.get_by_label(audience("ikaihmiset").name_fi).check()
    form.locator("#id_opens_2").fill("10:00")
    form.locator("#id_closes_2").fill("14:00")
    form.get_by_label("Aukioloajat sanoin").fill("Myös sopimuksen mukaan.")
    # Without consent the form comes back, with everything typed still there.
    form.get_by_role("button", name="Lähetä ehdotus").click()
    expect(page.locator(".errorlist")).to_contain_text("suostumuksellasi")
    expect(page.locator("#id_place_name")).to_have_value("Kylätalon olohuone")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Lähetä ehdotus").click()
    expect(page).to_have_url(re.compile(r"/join/thanks/$"))
    proposal = PlaceProposal.objects.get()
    assert not Place.objects.filter(name="Kylätalon olohuone").exists()
    (told,) = mail.outbox
    assert told.to == ["kaisa@example.org"]

    # The coordinator approves it in the admin, as a published place.
    sign_in(page, site_url, "kaisa", COORDINATOR_PASSWORD)
    page.goto(site_url("/admin/places/placeproposal/"))
    page.locator("#result_list").get_by_role("link", name="Kylätalon olohuone").click()
    expect(page).to_have_url(re.compile(rf"/admin/places/placeproposal/{proposal.pk}/change/$"))
    page.get_by_label("julkaistu", exact=True).check()
    page.locator('input[name="_approve"]').click()
    place = Place.objects.get(name="Kylätalon olohuone")
    expect(page).to_have_url(re.compile(rf"/admin/places/place/{place.pk}/change/$"))
    expect(page.locator(".messagelist .success")).to_contain_text("julkaistu")
    assert place.is_published
    assert [(h.weekday, h.opens.hour, h.closes.hour) for h in place.weekly_hours.all()] == [
        (2, 10, 14)
    ]

    # The contact person follows the e-mailed link in a browser of their own.
    welcome = mail.outbox[-1]
    assert welcome.to == ["maija@example.org"]
    link = re.search(r"https?://\S+/admin/password-reset/\S+/\S+/", welcome.body)[0]
    path = re.sub(r"^https?://[^/]+", "", link)
    username = re.search(r"Käyttäjätunnuksesi on (\S+)\.", welcome.body)[1]
    context = browser.new_context(locale="fi-FI")
    own = context.new_page()
    own.set_default_timeout(10_000)
    try:
        own.goto(site_url(path))
        own.locator("#id_new_password1").fill(NEW_PASSWORD)
        own.locator("#id_new_password2").fill(NEW_PASSWORD)
        own.locator('input[type="submit"]').click()
        expect(own).to_have_url(re.compile(r"/admin/password-reset/done/$"))
        sign_in(own, site_url, username, NEW_PASSWORD)
        own.goto(site_url("/admin/places/place/"))
        results = own.locator("#result_list")
        expect(results.locator("tbody tr")).to_have_count(1)
        expect(results.get_by_role("link", name="Kylätalon olohuone")).to_be_visible()
        expect(results.get_by_role("link", name=neighbour.name)).to_have_count(0)
        # The link worked once.
        own.goto(site_url(path))
        expect(own.locator("#id_new_password1")).to_have_count(0)
    finally:
        context.close()
    # The place is public.
    page.goto(site_url(place.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kylätalon olohuone")
