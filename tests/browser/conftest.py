import pytest

from tests.factories.complaints import ensure_defaults
from tests.factories.feedback import ensure_survey_defaults


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium, never a downloaded browser; flags for a closed network (RECIPES.md).
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def sign_in(live_server, page):
    def _sign_in(user, password):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/my-day/")  # the home page
        page.goto(live_server.url + "/clients/")
        return page

    return _sign_in


@pytest.fixture(autouse=True)
def csp_violations(request, settings):
    """Browser tests run under the real policy: login throttling on (the real sign-in form passes the request),
    and any Content-Security-Policy violation the browser reports (console or uncaught error) fails the test."""
    settings.AXES_ENABLED = True
    messages = []
    if "page" in request.fixturenames:
        page = request.getfixturevalue("page")
        page.on("console", lambda message: messages.append(message.text))
        page.on("pageerror", lambda error: messages.append(str(error)))
    violations = _Violations(messages)
    yield violations
    assert violations.found() == []


class _Violations:
    def __init__(self, messages):
        self.messages = messages

    def found(self):
        return [text for text in self.messages if "Content Security Policy" in text]

    def clear(self):
        self.messages.clear()


@pytest.fixture(autouse=True)
def _configuration_rows(transactional_db):
    """Rows data migrations create (SLA policies, complaint categories…): a previous transactional
    test's flush removed them, and every page expects them."""
    ensure_defaults()
    ensure_survey_defaults()
