"""Reads of surveys; a request or a response is seen by whoever sees its client (clients_visible_to)."""

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import User
from clients.models import Client
from clients.selectors import of_visible_clients

from .models import NpsCategory, SurveyKind, SurveyRequest, SurveyResponse, SurveyStatus


def survey_requests_visible_to(user: User) -> QuerySet[SurveyRequest]:
    """Survey requests of the clients the user may see."""
    return of_visible_clients(SurveyRequest.objects.all(), user)


def survey_responses_visible_to(user: User) -> QuerySet[SurveyResponse]:
    """Survey responses of the clients the user may see."""
    return of_visible_clients(SurveyResponse.objects.all(), user)


def low_score_q() -> Q:
    """The answers that start the closed loop: NPS detractors (0–6) and unhappy CSAT (1–2), as `is_low` says."""
    return Q(kind=SurveyKind.NPS, score__lte=6) | Q(kind=SurveyKind.CSAT, score__lte=2)


# The NPS bands of `SurveyResponse.nps_category`, as score ranges the database can filter on.
NPS_BANDS = {NpsCategory.DETRACTOR: (0, 6), NpsCategory.PASSIVE: (7, 8), NpsCategory.PROMOTER: (9, 10)}


def nps_category_q(category: str) -> Q:
    """NPS answers in one band (promoters 9–10, passives 7–8, detractors 0–6)."""
    low, high = NPS_BANDS[category]
    return Q(kind=SurveyKind.NPS, score__gte=low, score__lte=high)


# The CSAT bands of the score badge (feedback/score_badge.html): unhappy 1–2 (`is_low`), neutral 3, satisfied 4–5.
CSAT_BANDS = {"unhappy": (1, 2), "neutral": (3, 3), "satisfied": (4, 5)}


def score_band_q(band: str) -> Q:
    """Answers in one score band: an NPS band (promoter, passive, detractor) or a CSAT one (satisfied, neutral,
    unhappy); the band's name says the kind."""
    if band in NPS_BANDS:
        return nps_category_q(band)
    low, high = CSAT_BANDS[band]
    return Q(kind=SurveyKind.CSAT, score__gte=low, score__lte=high)


def list_survey_requests(user: User) -> QuerySet[SurveyRequest]:
    """Visible requests with the names a list row shows, in a constant number of queries."""
    return survey_requests_visible_to(user).select_related("client", "contact", "template", "requested_by")


def list_survey_responses(user: User) -> QuerySet[SurveyResponse]:
    """Visible responses with their request, contact, follow-up and actor, in a constant number of queries."""
    return survey_responses_visible_to(user).select_related(
        "client", "request__contact", "request__template", "follow_up", "action_by"
    )


def list_client_feedback(client: Client, *, limit: int = 10) -> list[SurveyResponse]:
    """The client's latest answers, newest first, with what the client page shows next to each (one query)."""
    return list(
        SurveyResponse.objects.filter(client=client)
        .select_related("request__contact", "request__template", "follow_up", "action_by")
        .order_by("-answered_at", "-pk")[:limit]
    )


def list_open_survey_links(client: Client, *, limit: int = 5) -> list[SurveyRequest]:
    """The client's sent surveys still waiting for an answer (their links work), newest first (one query)."""
    return list(
        SurveyRequest.objects.filter(client=client, status=SurveyStatus.SENT, expires_at__gt=timezone.now())
        .select_related("contact")
        .order_by("-sent_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class ScoreTrend:
    """The latest answer of one kind and the one before it."""

    latest: SurveyResponse
    previous: SurveyResponse | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.latest.score - self.previous.score

    @property
    def direction(self) -> str | None:
        """ "up", "down" or "same" against the previous answer; None when there is nothing to compare."""
        if self.change is None:
            return None
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


@dataclass(frozen=True)
class ClientScores:
    nps: ScoreTrend | None
    csat: ScoreTrend | None


def get_client_scores(client: Client) -> ClientScores:
    """The client's latest NPS and CSAT answers with the previous one of each kind; None for a kind never answered.

    One query: the two newest answers per kind are picked in the database by a window function.
    """
    newest_first = Window(RowNumber(), partition_by=[F("kind")], order_by=[F("answered_at").desc(), F("pk").desc()])
    rows = (
        SurveyResponse.objects.filter(client=client)
        .annotate(rank=newest_first)
        .filter(rank__lte=2)
        .order_by("kind", "rank")
    )
    by_kind: dict[str, list[SurveyResponse]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)

    def trend(kind: str) -> ScoreTrend | None:
        found = by_kind.get(kind)
        if not found:
            return None
        return ScoreTrend(latest=found[0], previous=found[1] if len(found) > 1 else None)

    return ClientScores(nps=trend(SurveyKind.NPS), csat=trend(SurveyKind.CSAT))
