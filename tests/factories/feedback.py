"""Survey requests as rows in any state, the default templates and triggers, and a sent survey's token."""

import datetime
import importlib
from unittest import mock

import factory
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from feedback.models import SurveyRequest, SurveyStatus, SurveyTemplate, SurveyTrigger, TriggerKind
from feedback.services.tokens import new_token


def ensure_survey_defaults() -> None:
    """The templates and triggers migration 0002 creates; a transactional test's flush removes them."""
    # The module name starts with a digit: import it by string.
    importlib.import_module("feedback.migrations.0002_defaults").create_defaults(apps, None)


def survey_template(name: str = "CSAT") -> SurveyTemplate:
    return SurveyTemplate.objects.get(name=name)


def survey_trigger(kind: str) -> SurveyTrigger:
    return SurveyTrigger.objects.select_related("template").get(kind=kind)


def frozen(moment: datetime.datetime):
    """Freeze django.utils.timezone.now (in every thread: the patch is on the module)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


class SurveyRequestFactory(factory.django.DjangoModelFactory):
    """A CSAT request to a new contact, due now, as a trigger would have written it."""

    class Meta:
        model = SurveyRequest

    contact = factory.SubFactory("tests.factories.contacts.ContactFactory")
    client = factory.LazyAttribute(lambda o: o.contact.client)
    template = factory.LazyFunction(survey_template)
    kind = factory.LazyAttribute(lambda o: o.template.kind)
    trigger = TriggerKind.MANUAL
    source_key = factory.Sequence(lambda n: f"test:{n}")
    language = factory.LazyAttribute(lambda o: o.contact.language)
    scheduled_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyAttribute(lambda o: o.scheduled_at)
    status = SurveyStatus.SCHEDULED


def make_sent_survey(*, sent_at: datetime.datetime, status=SurveyStatus.SENT, **kwargs) -> tuple[SurveyRequest, str]:
    """(a request e-mailed at `sent_at`, the token of its link); only the token's hash is stored."""
    token, digest = new_token()
    request = SurveyRequestFactory(
        status=status,
        scheduled_at=sent_at,
        sent_at=sent_at,
        token_hash=digest,
        expires_at=sent_at + datetime.timedelta(days=settings.SURVEY_TOKEN_DAYS),
        **kwargs,
    )
    return request, token
