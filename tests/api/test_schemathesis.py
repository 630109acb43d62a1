"""Schemathesis against the API's own schema (/api/schema/, drf-spectacular): every operation, called in-process
through the WSGI app with generated valid and invalid input by an authenticated administrator, never answers 500
and answers what the schema says (status codes aside, each documented response body matches its schema).

Writes happen in the test database (POST, PATCH, DELETE included). Examples per operation are capped so that the
whole run stays well under a minute; `-m schemathesis` selects it, `-m "not schemathesis"` leaves it out.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from crm.wsgi import application
from feedback.models import SurveyResponse
from segments.bulk.announcements import create_announcement
from segments.bulk.tags import add_tag_to_segment
from tests.factories.complaints import make_complaint
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, survey_template
from tests.factories.interactions import FollowUpFactory, InteractionFactory, NotificationFactory
from tests.factories.orders import ProductFactory, make_order
from tests.factories.segments import SegmentFactory

pytestmark = pytest.mark.schemathesis

MAX_EXAMPLES = 25  # per operation: ~60 operations


@pytest.fixture
def known_ids(org) -> dict[str, int]:
    """A record of each kind, by the path of its collection: half the generated ids are swapped for these so that
    detail operations also answer 200 (and are checked against their schema), not only 404."""
    contact = ContactFactory(client=org.client, is_primary=True, email="anna@example.com")
    segment = SegmentFactory(name="Everyone")
    request = SurveyRequestFactory(contact=contact, template=survey_template("NPS"), answered_at=timezone.now())
    response = SurveyResponse.objects.create(
        request=request, client=org.client, kind="nps", score=9, answered_at=timezone.now()
    )
    ids = {
        "clients": org.client.pk,
        "contacts": contact.pk,
        "interactions": InteractionFactory(client=org.client).pk,
        "follow-ups": FollowUpFactory(client=org.client).pk,
        "notifications": NotificationFactory(recipient=org.admin).pk,
        "products": ProductFactory().pk,
        "orders": make_order(actor=org.manager, client=org.client).pk,
        "complaints": make_complaint(actor=org.manager, client=org.client).pk,
        "surveys/requests": request.pk,
        "surveys/responses": response.pk,
        "segments": segment.pk,
        "segment-actions": add_tag_to_segment(actor=org.admin, segment=segment, tag="checked").pk,
        "announcements": create_announcement(
            actor=org.admin, segment=segment, kind="update", subject_en="News", body_en="Hello."
        ).pk,
    }
    return {f"/api/v1/{collection}/": pk for collection, pk in ids.items()}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app is called as a server would call it, so each request's end would close the database connection
    (and with it the test's transaction). Django's test client does the same as here for its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(org) -> str:
    return Token.objects.create(user=org.admin).key


# The schema as drf-spectacular serves it, read through the WSGI app: the calls go there too (no server, no network).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
schema.config.phases.update(phases=["examples", "fuzzing"])


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ folder: each CI run starts from the same seed
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_api_operation_answers_without_server_error_and_as_documented(case, admin_token, known_ids):
    generated = (case.path_parameters or {}).get("id")
    known = known_ids.get(case.path.split("{id}")[0])
    if generated is not None and known is not None and len(str(generated)) % 2 == 0:
        case.path_parameters["id"] = known

    response = case.call(headers={"Authorization": f"Token {admin_token}"})

    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
