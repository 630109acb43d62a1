"""The contact's personal data page, its JSON download, the erase form and the API: admins only, audited."""

import json

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from contacts.models import Contact
from tests.contacts.conftest import EMAIL, NAME, database_text

pytestmark = pytest.mark.django_db


def urls(contact):
    return {
        "page": reverse("contacts:privacy", args=[contact.pk]),
        "export": reverse("contacts:privacy_export", args=[contact.pk]),
        "erase": reverse("contacts:erase", args=[contact.pk]),
    }


def test_anonymous_visitors_are_sent_to_sign_in(client, person):
    for url in urls(person.contact).values():
        response = client.get(url) if not url.endswith("erase/") else client.post(url, {"confirm_name": NAME})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("role", "status"), [("manager", 403), ("teammate", 403), ("lead", 403), ("outsider", 404)])
def test_only_admins_reach_the_page_the_download_and_the_erasure(as_user, org, person, role, status):
    http = as_user(getattr(org, role))
    before = database_text(but=(AuditEvent,))
    events = AuditEvent.objects.count()  # the sign-in's

    assert http.get(urls(person.contact)["page"]).status_code == status
    assert http.get(urls(person.contact)["export"]).status_code == status
    assert http.post(urls(person.contact)["erase"], {"confirm_name": NAME}).status_code == status

    assert database_text(but=(AuditEvent,)) == before
    assert AuditEvent.objects.count() == events


def test_the_page_shows_what_the_crm_holds(as_user, org, person):
    response = as_user(org.admin).get(urls(person.contact)["page"])

    assert response.status_code == 200
    html = response.content.decode()
    assert NAME in html
    assert EMAIL in html
    holdings = {item["key"]: (str(item["label"]), item["count"]) for item in response.context["holdings"]}
    assert holdings == {
        "history": ("Versions in the change history", 2),
        "interactions": ("Interactions they took part in", 2),
        "orders": ("Orders placed through them", 1),
        "complaints": ("Complaints they made", 1),
        "surveys": ("Surveys and their answers", 3),
        "announcements": ("Announcement e-mails", 1),
    }
    assert 'id="privacy-erase-confirm"' in html
    assert f"?object_type=contact&amp;object_id={person.contact.pk}" in html
    assert AuditEvent.objects.filter(action__startswith="contact_").count() == 0  # looking is not exporting


def test_the_contact_card_links_to_the_page_for_admins_only(as_user, org, person):
    link = f'href="{urls(person.contact)["page"]}"'

    assert link in as_user(org.admin).get(org.client.get_absolute_url()).content.decode()
    assert link not in as_user(org.manager).get(org.client.get_absolute_url()).content.decode()


def test_the_download_is_the_export_as_a_json_file_and_is_audited(as_user, org, person):
    http = as_user(org.admin)

    response = http.get(urls(person.contact)["export"])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="contact-{person.contact.pk}-')
    data = json.loads(response.content)
    assert (data["contact"]["full_name"], data["contact"]["email"]) == (NAME, EMAIL)
    [event] = AuditEvent.objects.filter(action="contact_export")
    assert (event.actor, event.object_id, event.ip) == (org.admin, str(person.contact.pk), "127.0.0.1")


def test_a_wrong_name_erases_nothing(as_user, org, person):
    http = as_user(org.admin)
    before = database_text(but=(AuditEvent,))

    response = http.post(urls(person.contact)["erase"], {"confirm_name": "Jurgita"})

    assert response.status_code == 200
    assert "Type the name exactly as it is shown" in response.content.decode()
    assert database_text(but=(AuditEvent,)) == before
    assert not AuditEvent.objects.filter(action="contact_erasure").exists()


def test_typing_the_name_erases_the_person(as_user, org, person):
    http = as_user(org.admin)

    response = http.post(urls(person.contact)["erase"], {"confirm_name": "  jurgita   PRIVATAITĖ "}, follow=True)

    assert response.redirect_chain == [(urls(person.contact)["page"], 302)]
    contact = Contact.objects.get(pk=person.contact.pk)
    assert (contact.full_name, contact.email) == (f"Erased contact #{contact.pk}", "")
    html = response.content.decode()
    assert "The contact&#x27;s personal data was erased." in html
    assert 'id="privacy-erased"' in html
    assert "Nothing left to erase" in html
    assert 'id="privacy-erase-confirm"' not in html
    [event] = AuditEvent.objects.filter(action="contact_erasure")
    assert event.actor == org.admin


def test_the_page_of_an_erased_contact_takes_few_queries(as_user, org, person, django_assert_max_num_queries):
    http = as_user(org.admin)
    http.post(urls(person.contact)["erase"], {"confirm_name": NAME})

    with django_assert_max_num_queries(20):
        assert http.get(urls(person.contact)["page"]).status_code == 200


# --- API -------------------------------------------------------------------------------------------


def api_urls(contact):
    return f"/api/v1/contacts/{contact.pk}/export/", f"/api/v1/contacts/{contact.pk}/erase/"


def test_the_api_export_gives_admins_the_json_and_audits_it(as_api_user, org, person):
    export, _erase = api_urls(person.contact)

    response = as_api_user(org.admin).get(export)

    assert response.status_code == 200
    assert response.json()["contact"]["email"] == EMAIL
    assert AuditEvent.objects.filter(action="contact_export", object_id=str(person.contact.pk)).count() == 1


def test_the_api_erasure_anonymises_and_reports_what_changed(as_api_user, org, person):
    _export, erase = api_urls(person.contact)

    response = as_api_user(org.admin).post(erase)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == person.contact.pk
    assert body["changed"]["contact"] == 1
    assert body["changed"]["history"] == 2
    assert Contact.objects.get(pk=person.contact.pk).email == ""
    assert as_api_user(org.admin).post(erase).json()["changed"]["contact"] == 0  # again: nothing left


@pytest.mark.parametrize(("role", "status"), [("manager", 403), ("lead", 403), ("outsider", 404)])
def test_the_api_refuses_everyone_but_admins_and_changes_nothing(as_api_user, org, person, role, status):
    export, erase = api_urls(person.contact)
    api = as_api_user(getattr(org, role))
    before = database_text()

    assert api.get(export).status_code == status
    assert api.post(erase).status_code == status

    assert database_text() == before


def test_the_api_refuses_anonymous_callers(api, person):
    export, erase = api_urls(person.contact)

    assert api.get(export).status_code == 401
    assert api.post(erase).status_code == 401
