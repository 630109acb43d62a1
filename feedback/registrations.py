"""What feedback adds to lower apps: signal receivers that schedule surveys, client page and timeline."""

from django.utils.translation import gettext_lazy

from clients.sections import ClientSection, register_section
from complaints.signals import complaint_reopened, complaint_resolved
from contacts.personal_data import register_personal_data_source
from core.demo import register_seeder
from interactions.signals import meeting_completed
from interactions.timeline import TimelineSource, register_timeline_source
from orders.signals import order_delivered

from . import selectors
from .demo import seed_demo_data
from .forms import ActionForm, SendSurveyForm
from .models import SurveyResponse
from .personal_data import erase_surveys, export_surveys
from .services import scheduling


def _order_delivered(sender, **kwargs):
    scheduling.on_order_delivered(**kwargs)


def _complaint_resolved(sender, **kwargs):
    scheduling.on_complaint_resolved(**kwargs)


def _complaint_reopened(sender, **kwargs):
    scheduling.on_complaint_reopened(**kwargs)


def _meeting_completed(sender, **kwargs):
    scheduling.on_meeting_completed(**kwargs)


def client_feedback_context(request, client, can_edit):
    """The client page's feedback: latest NPS and CSAT with their trend, recent answers, ask now."""
    return {
        "client": client,
        "can_edit": can_edit,
        "scores": selectors.get_client_scores(client),
        "responses": selectors.list_client_feedback(client),
        "open_links": selectors.list_open_survey_links(client),
        "send_form": SendSurveyForm(client=client) if can_edit else None,
        "action_form": ActionForm(),
    }


def _client_responses(client):
    return SurveyResponse.objects.filter(client=client)


def _load_responses(ids):
    return SurveyResponse.objects.select_related("request__contact", "follow_up").in_bulk(ids)


def register_all() -> None:
    register_section(
        ClientSection(
            key="client-feedback",
            template="feedback/client_feedback_section.html",
            get_context=client_feedback_context,
            slot="side",
            order=8,
        )
    )
    # Each answer on the client's timeline, at the time it was given.
    register_timeline_source(
        TimelineSource(
            key="feedback",
            label=gettext_lazy("Feedback"),
            rows=_client_responses,
            at_field="answered_at",
            load=_load_responses,
            template="feedback/response_timeline_entry.html",
            order=30,
        )
    )
    order_delivered.connect(_order_delivered, dispatch_uid="feedback.order_delivered")
    complaint_resolved.connect(_complaint_resolved, dispatch_uid="feedback.complaint_resolved")
    complaint_reopened.connect(_complaint_reopened, dispatch_uid="feedback.complaint_reopened")
    meeting_completed.connect(_meeting_completed, dispatch_uid="feedback.meeting_completed")
    register_seeder("feedback", seed_demo_data, order=50)
    register_personal_data_source(
        "surveys", export_surveys, erase=erase_surveys, label=gettext_lazy("Surveys and their answers"), order=40
    )
