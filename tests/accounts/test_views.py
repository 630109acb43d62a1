from django.core import mail
from django.urls import reverse

from tests.factories.accounts import PASSWORD


def test_login_with_email_and_logout(client, org):
    response = client.post(reverse("accounts:login"), {"username": org.manager.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("clients:list")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("clients:list")).status_code == 302


def test_wrong_password_shows_a_message(client, org):
    response = client.post(reverse("accounts:login"), {"username": org.manager.email, "password": "nope"})
    assert response.status_code == 200
    assert "Wrong e-mail or password" in response.content.decode()


def test_profile_changes_language_and_time_zone(as_user, org):
    c = as_user(org.manager)
    response = c.post(
        reverse("accounts:profile"),
        {"full_name": "Mantas O.", "language": "ru", "time_zone": "Europe/Riga", "reminder_lead_minutes": 15},
    )
    assert response.status_code == 302
    org.manager.refresh_from_db()
    assert (org.manager.full_name, org.manager.language, org.manager.time_zone) == ("Mantas O.", "ru", "Europe/Riga")
    assert org.manager.reminder_lead_minutes == 15
    assert c.get(reverse("clients:list"))["Content-Language"] == "ru"


def test_profile_rejects_unknown_time_zone(as_user, org):
    response = as_user(org.manager).post(
        reverse("accounts:profile"), {"full_name": "X", "language": "en", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    org.manager.refresh_from_db()
    assert org.manager.time_zone == "Europe/Vilnius"


def test_language_switcher_saves_the_users_language(as_user, org):
    c = as_user(org.manager)
    response = c.post(reverse("accounts:set_language"), {"language": "lt", "next": "/clients/"})
    assert response["Location"] == "/clients/"
    org.manager.refresh_from_db()
    assert org.manager.language == "lt"
    assert "Klientai" in c.get("/clients/").content.decode()


def test_language_switcher_refuses_foreign_redirects(client, org):
    response = client.post(reverse("accounts:set_language"), {"language": "ru", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "ru"


def test_password_reset_sends_email_in_the_users_language(client, org, django_capture_on_commit_callbacks):
    org.manager.language = "ru"
    org.manager.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": org.manager.email.upper()})
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org.manager.email]
    assert "Сброс пароля" in message.subject
    assert "/accounts/password/reset/" in message.body


def test_password_reset_for_unknown_email_sends_nothing_but_answers_the_same(client, org):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_link_sets_new_password(client, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": org.manager.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Another-pass-987", "new_password2": "Another-pass-987"})
    assert response.status_code == 302
    org.manager.refresh_from_db()
    assert org.manager.check_password("Another-pass-987")


def test_password_change(as_user, org):
    response = as_user(org.manager).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Brand-new-pass-1", "new_password2": "Brand-new-pass-1"},
    )
    assert response.status_code == 302
    org.manager.refresh_from_db()
    assert org.manager.check_password("Brand-new-pass-1")


def test_admin_site_only_for_admins(as_user, org):
    assert as_user(org.lead).get("/admin/").status_code == 302
    assert as_user(org.admin).get("/admin/").status_code == 200
    assert as_user(org.admin).get("/admin/accounts/user/").status_code == 200
    assert as_user(org.admin).get("/admin/clients/client/").status_code == 200
    assert as_user(org.admin).get("/admin/contacts/contact/").status_code == 200
    assert as_user(org.admin).get(f"/admin/clients/client/{org.client.pk}/history/").status_code == 200
