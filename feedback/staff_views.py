"""Staff pages of feedback: the survey answer list; from the client page, ask a contact now, record what was done,
cancel a survey link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.drilldown import drilldown_list_context
from clients.selectors import can_edit_client, get_client_for_user
from core.exceptions import ApplicationError

from .filters import AnswerFilter
from .forms import ActionForm, SendSurveyForm
from .models import SurveyRequest, SurveyResponse
from .selectors import list_survey_responses
from .services import closed_loop, scheduling


@login_required
def answer_list(request):
    """Survey answers of the clients the user may see, newest first, filtered; the dashboard drills into it."""
    answer_filter = AnswerFilter(request.GET or None, queryset=list_survey_responses(request.user), user=request.user)
    context = drilldown_list_context(request, answer_filter)
    template = "feedback/answer_list.html#answer-table" if request.htmx else "feedback/answer_list.html"
    return render(request, template, context)


@login_required
@require_POST
def send_survey(request, client_pk):
    client = get_client_for_user(request.user, client_pk)
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    form = SendSurveyForm(request.POST, client=client)
    if form.is_valid():
        try:
            scheduling.send_survey_now(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The survey goes to %(contact)s within the next minutes, in their working hours.")
                % {"contact": form.cleaned_data["contact"]},
            )
    else:
        messages.error(request, _("Choose a contact and a survey."))
    return redirect(f"{client.get_absolute_url()}#client-feedback")


@login_required
@require_POST
def record_action(request, pk):
    response = SurveyResponse.objects.select_related("client", "follow_up", "request__contact").filter(pk=pk).first()
    if response is None:
        raise Http404
    client = get_client_for_user(request.user, response.client_id)  # the client's visibility decides
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            closed_loop.record_action(actor=request.user, response=response, text=form.cleaned_data["text"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Noted. The follow-up is done."))
    else:
        messages.error(request, _("Write what was done."))
    return redirect(f"{client.get_absolute_url()}#client-feedback")


@login_required
@require_POST
def cancel_link(request, pk):
    """Stop a sent survey's link from working (a forwarded or mistaken e-mail): it expires now."""
    survey = SurveyRequest.objects.select_related("client", "contact").filter(pk=pk).first()
    if survey is None:
        raise Http404
    client = get_client_for_user(request.user, survey.client_id)  # the client's visibility decides
    if not can_edit_client(request.user, client):
        raise PermissionDenied
    try:
        scheduling.cancel_survey_link(actor=request.user, survey=survey)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The survey link sent to %(contact)s no longer works.") % {"contact": survey.contact}
        )
    return redirect(f"{client.get_absolute_url()}#client-feedback")
