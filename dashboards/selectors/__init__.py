"""Reads behind the dashboards' pages, one module per page; figures come from dashboards.metrics.

Each module picks what the viewer may analyse, the periods to compare, and shapes the figures for
the page; display.py holds what they share (periods, tiles, number formats).
"""

from .complaints import get_complaint_analysis, list_analysis_complaints, list_period_escalations
from .display import Kpi, Period, list_analysis_teams
from .feedback import (
    get_feedback_analysis,
    list_analysis_survey_requests,
    list_analysis_survey_responses,
    list_period_comments,
)

__all__ = [
    "Kpi",
    "Period",
    "get_complaint_analysis",
    "get_feedback_analysis",
    "list_analysis_complaints",
    "list_analysis_survey_requests",
    "list_analysis_survey_responses",
    "list_analysis_teams",
    "list_period_comments",
    "list_period_escalations",
]
