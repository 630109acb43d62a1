"""`manage.py check --deploy` is clean with production settings (DEBUG off), and those settings are the secure ones.

Each test starts a fresh Python process: settings are read from the environment once, at import.
"""

import json
import secrets
import subprocess
import sys

from django.conf import settings


def _run(args, env, tmp_path):
    production = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "crm.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://crm.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6399/0",  # only named: nothing here connects to it
        "EMAIL_URL": "smtp+tls://crm:secret@smtp.example.com:587",
        "SITE_URL": "https://crm.example.com",
    }
    return subprocess.run(  # noqa: S603 - this interpreter with our own arguments
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**production, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_settings(tmp_path, **env) -> dict:
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "X_FRAME_OPTIONS",
        "PUBLIC_RATE_LIMIT",
        "REQUIRE_ADMIN_2FA",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = _run(["-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_check_deploy_would_catch_an_insecure_setting(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], {"SECURE_HSTS_SECONDS": "0"}, tmp_path)

    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_defaults_are_the_secure_ones(tmp_path):
    assert _production_settings(tmp_path) == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "PUBLIC_RATE_LIMIT": "30/m",
        "REQUIRE_ADMIN_2FA": False,
    }


def test_each_production_default_can_be_changed_by_the_environment(tmp_path):
    values = _production_settings(
        tmp_path,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_PRELOAD="0",
        REQUIRE_ADMIN_2FA="1",
        PUBLIC_RATE_LIMIT="100/h",
    )

    assert (values["SECURE_SSL_REDIRECT"], values["SECURE_HSTS_SECONDS"], values["SECURE_HSTS_PRELOAD"]) == (
        False,
        3600,
        False,
    )
    assert (values["REQUIRE_ADMIN_2FA"], values["PUBLIC_RATE_LIMIT"]) == (True, "100/h")


def test_the_former_name_of_the_public_rate_limit_still_works(tmp_path):
    assert _production_settings(tmp_path, SURVEY_ANSWER_RATE_LIMIT="7/m")["PUBLIC_RATE_LIMIT"] == "7/m"
