"""The public survey pages (no login): answer with one click and a confirm button, unsubscribe.

A GET never records anything (mail scanners follow links); answers and opt-outs are POSTs.
Rate-limited per IP; nothing about the client is shown beyond our company's name.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from contacts.models import Contact
from core.exceptions import ApplicationError
from core.ratelimit import limited_per_ip

from .services import answers
from .services.delivery import read_unsubscribe_token


def _page(request, template, context, *, language, status=200):
    with translation.override(language or settings.LANGUAGE_CODE):
        response = render(request, template, {"company": settings.COMPANY_NAME, **context}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token must not leak to other sites; "same-origin" (not "no-referrer", which makes browsers
    # send "Origin: null" with the form, failing the CSRF check).
    response["Referrer-Policy"] = "same-origin"
    return response


def _unavailable(request, found, *, language=None):
    """Unknown or tampered: 404; expired or no longer changeable: 410. Friendly either way."""
    status = 404 if found.state == "unknown" else 410
    return _page(request, "feedback/unavailable.html", {"state": found.state}, language=language, status=status)


@never_cache
@limited_per_ip("feedback.answer", on_limit=lambda request: rate_limited(request, None))
def answer(request, token):
    found = answers.get_answerable(token)
    language = found.request.language if found.request else translation.get_language_from_request(request)
    if found.state in ("unknown", "expired", "locked"):
        return _unavailable(request, found, language=language)
    survey = found.request
    error, score = "", request.POST.get("score") if request.method == "POST" else request.GET.get("score")
    if request.method == "POST":
        try:
            with translation.override(language):  # an error message in the contact's language
                response = answers.record_answer(token=token, score=score, comment=request.POST.get("comment", ""))
        except ApplicationError as problem:
            error = problem.message
        else:
            context = {"thanks": survey.template.text("thanks", language), "response": response, "token": token}
            return _page(request, "feedback/thanks.html", context, language=language)
    elif found.response is not None and score is None:
        score = found.response.score  # changing an answer: start from the one given
    try:
        selected = int(score) if score not in (None, "") else None
    except ValueError:
        selected = None
    context = {
        "question": survey.template.text("question", language),
        "comment_question": survey.template.text("comment_question", language),
        "scale": list(survey.template.scale),
        "kind": survey.kind,
        "selected": selected if selected in survey.template.scale else None,
        "comment": request.POST.get("comment", found.response.comment if found.response else ""),
        "error": error,
        "token": token,
        "editing": found.response is not None,
    }
    return _page(request, "feedback/answer.html", context, language=language, status=400 if error else 200)


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a form of ours
@limited_per_ip("feedback.unsubscribe", on_limit=lambda request: rate_limited(request, None))
def unsubscribe(request, token):
    """GET shows a confirm button; POST (the button, or a mail client's one-click) opts the contact out."""
    contact_id = read_unsubscribe_token(token)
    contact = Contact.objects.filter(pk=contact_id).first() if contact_id else None
    language = contact.language if contact else translation.get_language_from_request(request)
    if contact is None:
        return _page(request, "feedback/unavailable.html", {"state": "unknown"}, language=language, status=404)
    done = False
    if request.method == "POST":
        if not contact.survey_opt_out:
            contact.survey_opt_out = True
            contact._change_reason = "unsubscribed from surveys"
            contact.save(update_fields=["survey_opt_out", "updated_at"])
        done = True
    return _page(request, "feedback/unsubscribe.html", {"done": done, "token": token}, language=language)


def rate_limited(request, exception):
    """Past PUBLIC_RATE_LIMIT from one address: a plain 429 page (also settings.RATELIMIT_VIEW, for the middleware)."""
    return _page(request, "feedback/unavailable.html", {"state": "limited"}, language=None, status=429)
