"""Security headers and cookie flags: CSP on every kind of page, HSTS and the HTTPS redirect behind TLS (with the
health check exempt), Referrer-Policy, X-Frame-Options, Cross-Origin-Opener-Policy, and templates that need no
inline script."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from interactions.services.calendar import create_calendar_feed
from tests.factories.accounts import PASSWORD

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'", "'unsafe-inline'"},
    "img-src": {"'self'", "data:"},
    "connect-src": {"'self'"},
    "font-src": {"'self'"},
    "object-src": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'self'"},
}


def csp(response) -> dict[str, set[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: set(sources) for name, *sources in directives}


@pytest.fixture
def production(settings):
    """The production values of crm/settings.py (DEBUG off), on this test process."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


# --- Content-Security-Policy -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/clients/", "/my-day/", "/dashboards/", "/accounts/profile/", "/admin/", "/api/docs/"]
)
def test_every_page_allows_only_this_sites_own_assets(client, org, path):
    client.force_login(org.admin)

    response = client.get(path)

    assert response.status_code == 200
    assert csp(response) == EXPECTED_CSP


def test_the_redoc_page_also_lets_its_search_run_in_a_worker(client, org):
    client.force_login(org.manager)

    assert csp(client.get("/api/redoc/")) == {**EXPECTED_CSP, "worker-src": {"'self'", "blob:"}}


def test_the_sign_in_page_carries_the_policy(client, org):
    assert csp(client.get("/accounts/login/")) == EXPECTED_CSP


def test_public_survey_pages_and_the_calendar_feed_carry_the_policy_too(client, org):
    feed = create_calendar_feed(user=org.manager)

    survey = client.get(reverse("feedback:answer", args=["no-such-token"]))
    calendar = client.get(reverse("interactions:calendar_feed", args=[feed.token]))

    assert (survey.status_code, calendar.status_code) == (404, 200)
    assert csp(survey) == EXPECTED_CSP
    assert csp(calendar) == EXPECTED_CSP


def test_the_api_docs_start_without_inline_script(client, org):
    client.force_login(org.manager)

    body = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="([^"]*script[^"]*)"></script>', body).group(1).replace("&amp;", "&")

    assert re.findall(r"<script>", body) == []
    response = client.get(script)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "<script>" not in client.get("/api/redoc/").content.decode()


# --- HTTPS: redirect, HSTS, cookies --------------------------------------------------------------------------------


def test_production_redirects_plain_http_to_https(client, org, production):
    response = client.get("/accounts/login/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_behind_the_tls_proxy_a_request_is_https_and_not_redirected(client, org, production):
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_load_balancers_health_check_stays_on_plain_http(client, org, production):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_without_tls_there_is_no_hsts_in_development(client, org):
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


def test_production_cookies_are_secure_http_only_and_same_site(client, org, production):
    page = client.get("/accounts/login/", secure=True)
    csrf_cookie = page.cookies[django_settings.CSRF_COOKIE_NAME]

    response = client.post("/accounts/login/", {"username": org.manager.email, "password": PASSWORD}, secure=True)

    assert response.status_code == 302
    session_cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    for cookie in (session_cookie, csrf_cookie):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def test_htmx_gets_the_csrf_token_from_the_page_not_the_cookie(client, org):
    client.force_login(org.manager)

    body = client.get("/clients/").content.decode()

    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]{64}\"\}'>", body)


# --- other headers -------------------------------------------------------------------------------------------------


def test_pages_forbid_framing_sniffing_and_cross_site_referrers(client, org):
    client.force_login(org.manager)

    response = client.get("/clients/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# --- templates stay inside the policy ------------------------------------------------------------------------------

# What the policy would block: inline <script> (JSON data blocks are fine), on*="" handlers, javascript: links,
# and what htmx evaluates with eval: hx-trigger filters ("change[...]") and "js:" values.
BLOCKED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']"),
    "javascript: link": re.compile(r"javascript:"),
    "htmx trigger filter": re.compile(r"hx-trigger=\"[^\"]*\["),
    "htmx js: value": re.compile(r"hx-(?:vals|headers)='?\"?js:"),
}


def test_templates_have_no_inline_script_handler_or_eval():
    found = {}
    for template in sorted((Path(django_settings.BASE_DIR) / "templates").rglob("*.html")):
        text = template.read_text()
        for what, pattern in BLOCKED.items():
            if pattern.search(text):
                found.setdefault(str(template.relative_to(django_settings.BASE_DIR)), []).append(what)

    assert found == {}
