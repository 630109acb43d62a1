"""describe_rules: a cleaned rule tree as one readable sentence in the active language.

"Tier is any of VIP, Key AND (City contains “Vil” OR Orders in the last 90 days ≥ 3)". Users, teams and tags
are named (one query per kind of id the tree uses); an id deleted since the rules were saved shows as "#id".
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Team, User
from clients.models import Tag
from core.money import format_money

from .fields import CHOICE, DATE, FIELDS, IDS, NUMBER, TEXT
from .labels import FIELD_SUMMARY, HEALTH_BAND_WORDS, SUMMARY, choice_options, last_days_label, window_label

ID_MODELS = {"account_manager": User, "team": Team, "tags": Tag}


def describe_rules(cleaned: dict) -> str:
    """The rules (as validate_rules returns them) as a sentence: groups in brackets, AND/OR between parts."""
    return _group(cleaned, _names_of_ids(cleaned), top=True)


def _group(node: dict, names: dict, *, top: bool = False) -> str:
    parts = [_group(child, names) if "op" in child else _condition(child, names) for child in node["rules"]]
    if not parts:
        return _("Every client") if node["op"] == "and" else _("No client")
    joiner = f" {_('AND')} " if node["op"] == "and" else f" {_('OR')} "
    text = joiner.join(parts)
    return text if top or len(parts) == 1 else f"({text})"


def _condition(node: dict, names: dict) -> str:
    field, operator, value = node["field"], node["operator"], node["value"]
    spec = FIELDS[field]
    label = window_label(field, node["days"]) if spec.window else str(spec.label)
    sentence = FIELD_SUMMARY.get(field, {}).get(operator) or SUMMARY[operator]
    if operator == "between":
        low, high = (_value(spec, field, operator, item, names) for item in value)
        return sentence % {"field": label, "low": low, "high": high}
    return sentence % {"field": label, "value": _value(spec, field, operator, value, names)}


def _value(spec, field: str, operator: str, value, names: dict) -> str:
    if field == "health_band":
        # "Health is watch or at risk": the bands as words of the sentence, joined as alternatives.
        joiner = f" {pgettext('one or another', 'or')} "
        return joiner.join(str(HEALTH_BAND_WORDS.get(item, item)) for item in value)
    if spec.kind == CHOICE:
        labels = dict(choice_options(field))
        return ", ".join(labels.get(item, item) for item in value)
    if spec.kind == IDS:
        return ", ".join(names[field].get(pk, f"#{pk}") for pk in value)
    if spec.kind == TEXT:
        return value
    if spec.kind == NUMBER:
        if spec.decimal:
            return format_money(Decimal(value), settings.DEFAULT_CURRENCY)
        return number_format(value, force_grouping=True)
    if spec.kind == DATE and operator == "in_last_days":
        return last_days_label(value)
    return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")


def _names_of_ids(cleaned: dict) -> dict[str, dict[int, str]]:
    """Names of the users, teams and tags the tree points to: one query per kind of id it uses."""
    wanted: dict[str, set[int]] = {field: set() for field in ID_MODELS}

    def walk(node):
        for child in node["rules"]:
            if "op" in child:
                walk(child)
            elif child["field"] in wanted:
                wanted[child["field"]].update(child["value"])

    walk(cleaned)
    return {
        field: {obj.pk: str(obj) for obj in ID_MODELS[field].objects.filter(pk__in=ids)} if ids else {}
        for field, ids in wanted.items()
    }
