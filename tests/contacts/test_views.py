import pytest
from django.urls import reverse

from contacts.models import Contact
from tests.factories.contacts import ContactFactory

HTMX = {"HX-Request": "true"}
VALID = {
    "full_name": "Rūta Petraitė",
    "email": "ruta@own.example",
    "phone": "8 612 34567",
    "preferred_channel": "phone",
    "language": "lt",
}


def test_add_contact_inline_returns_the_refreshed_section(as_user, org):
    response = as_user(org.manager).post(reverse("contacts:create", args=[org.client.pk]), VALID, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#contacts"
    assert response["HX-Reswap"] == "outerHTML"
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="contacts">')
    contact = Contact.objects.get(client=org.client)
    assert contact.phone.as_e164 == "+37061234567"  # normalised from the national format
    assert contact.is_primary is True  # the first contact becomes primary
    assert "Rūta Petraitė" in body


def test_add_contact_without_htmx_redirects_to_client(as_user, org):
    response = as_user(org.manager).post(reverse("contacts:create", args=[org.client.pk]), VALID)
    assert response.status_code == 302
    assert response["Location"] == org.client.get_absolute_url()


def test_invalid_contact_rerenders_form_with_errors_and_saves_nothing(as_user, org):
    data = {**VALID, "full_name": "", "email": "not-an-email", "phone": "12"}
    response = as_user(org.manager).post(reverse("contacts:create", args=[org.client.pk]), data, headers=HTMX)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "email", "phone"}
    assert 'id="contact-form"' in response.content.decode()
    assert not Contact.objects.exists()


def test_new_primary_takes_the_flag(as_user, org):
    old = ContactFactory(client=org.client, is_primary=True)
    as_user(org.manager).post(reverse("contacts:create", args=[org.client.pk]), {**VALID, "is_primary": "on"})
    old.refresh_from_db()
    assert old.is_primary is False
    assert Contact.objects.get(full_name="Rūta Petraitė").is_primary is True


def test_edit_and_delete_contact(as_user, org):
    contact = ContactFactory(client=org.client)
    c = as_user(org.manager)
    response = c.post(reverse("contacts:edit", args=[contact.pk]), {**VALID, "position": "CFO"}, headers=HTMX)
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.position == "CFO"
    assert contact.history.first().history_user == org.manager
    c.post(reverse("contacts:delete", args=[contact.pk]), headers=HTMX)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.history.filter(id=contact.pk, history_type="-").get().history_user == org.manager


@pytest.mark.parametrize(
    ("who", "status"), [("teammate", 403), ("outsider", 404), ("other_lead", 404), ("lead", 200), ("admin", 200)]
)
def test_contact_partials_permissions(as_user, org, who, status):
    contact = ContactFactory(client=org.client, full_name="Original")
    c = as_user(getattr(org, who))
    assert c.get(reverse("contacts:create", args=[org.client.pk]), headers=HTMX).status_code == status
    assert c.get(reverse("contacts:edit", args=[contact.pk]), headers=HTMX).status_code == status
    edit = c.post(reverse("contacts:edit", args=[contact.pk]), {**VALID, "full_name": "Changed"}, headers=HTMX)
    assert edit.status_code == status
    contact.refresh_from_db()
    assert contact.full_name == ("Changed" if status == 200 else "Original")
    delete = c.post(reverse("contacts:delete", args=[contact.pk]), headers=HTMX)
    assert delete.status_code == status
    assert Contact.objects.filter(pk=contact.pk).exists() is (status != 200)


@pytest.mark.parametrize(("who", "status"), [("teammate", 200), ("outsider", 404)])
def test_section_partial_follows_visibility(as_user, org, who, status):
    response = as_user(getattr(org, who)).get(reverse("contacts:section", args=[org.client.pk]), headers=HTMX)
    assert response.status_code == status


def test_delete_requires_post(as_user, org):
    contact = ContactFactory(client=org.client)
    assert as_user(org.manager).get(reverse("contacts:delete", args=[contact.pk])).status_code == 405
    assert Contact.objects.filter(pk=contact.pk).exists()
