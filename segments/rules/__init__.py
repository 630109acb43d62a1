"""The segment rule language: a JSON tree of AND/OR groups of conditions over clients.

Format (stored in Segment.rules)::

    {"op": "and" | "or", "rules": [<condition or group>, ...]}
    condition: {"field": "<field>", "operator": "<operator>", "value": <value>}
               plus "days": N (1..3650) for the fields counted over the last N days

Groups nest at most 4 levels deep (the top group is level 1); a tree holds at most 50 conditions.
An empty AND group matches every client (a new segment starts as {"op": "and", "rules": []}); an
empty OR group matches none.

Fields, by kind, and their operators:

- choice (`in`, `not_in`; a non-empty list of allowed values): tier, status, industry (the
  clients.models choices), country (ISO codes, "lt" is read as "LT"), contact_language (en, ru, lt:
  some contact of the client speaks it), last_nps_category (promoter, passive, detractor of the latest
  NPS answer; `not_in` also matches clients that never answered), health_band (healthy, watch, at_risk: the
  latest account-health band; `not_in` also matches clients not scored yet).
- text (`equals`, `contains`, `starts_with`; case-insensitive, a non-empty text): city.
- ids (`in`, `not_in`; a non-empty list of existing ids): account_manager (user), team (the account
  manager's team), tags (`in`: has any of the tags; `not_in`: has none of them).
- number (`eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `between` with [low, high], both ends included):
  days_since_last_interaction (whole days since the latest completed interaction; never contacted
  counts as endlessly many), interactions_last_days (completed interactions), orders_last_days
  (placed orders: neither draft nor cancelled), revenue_last_days (delivered revenue in
  settings.DEFAULT_CURRENCY; an amount, kept as a string "1500.00"), latest_csat (1-5; clients without
  a CSAT answer match no condition on it), open_complaints, breached_complaints_last_days (a first
  response or resolution deadline breached in the window), health_score (0-100, the latest account-health
  score on the client's row; clients not scored yet match no condition on it).
- date (`before`, `after`, `between` with "YYYY-MM-DD" calendar days in the company's time zone, both
  ends included; `in_last_days` with a number of days): created.

`not_in` is always the complement of `in`. Windows run from `now` minus N days to `now`.

validate_rules(data) -> cleaned tree, or ApplicationError naming the bad node
("rules[1].rules[0]: unknown field 'tierr'"); compile_rules(cleaned, now=...) -> Q over Client.
"""

from .compiler import compile_rules
from .fields import FIELDS, OPERATORS
from .validation import MAX_CONDITIONS, MAX_DEPTH, validate_rules

__all__ = ["FIELDS", "MAX_CONDITIONS", "MAX_DEPTH", "OPERATORS", "compile_rules", "validate_rules"]
