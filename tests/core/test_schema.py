import re

import pytest

from dashboards.forms import DashboardForm

pytestmark = pytest.mark.django_db


def test_schema_lists_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert paths == {
        "/api/v1/auth/token/",
        "/api/v1/clients/",
        "/api/v1/clients/{id}/",
        "/api/v1/clients/handover/",
        "/api/v1/clients/{id}/health/",
        "/api/v1/clients/{id}/health/recompute/",
        "/api/v1/health/settings/",
        "/api/v1/contacts/",
        "/api/v1/contacts/{id}/",
        "/api/v1/contacts/{id}/export/",
        "/api/v1/contacts/{id}/erase/",
        "/api/v1/interactions/",
        "/api/v1/interactions/{id}/",
        "/api/v1/interactions/{id}/complete/",
        "/api/v1/follow-ups/",
        "/api/v1/follow-ups/{id}/",
        "/api/v1/follow-ups/{id}/done/",
        "/api/v1/follow-ups/{id}/cancel/",
        "/api/v1/follow-ups/{id}/reopen/",
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/notifications/read-all/",
        "/api/v1/products/",
        "/api/v1/products/{id}/",
        "/api/v1/orders/",
        "/api/v1/orders/{id}/",
        "/api/v1/orders/{id}/transition/",
        "/api/v1/complaints/",
        "/api/v1/complaints/{id}/",
        "/api/v1/complaints/{id}/transition/",
        "/api/v1/complaints/{id}/activities/",
        "/api/v1/complaint-categories/",
        "/api/v1/root-causes/",
        "/api/v1/surveys/requests/",
        "/api/v1/surveys/requests/{id}/",
        "/api/v1/surveys/responses/",
        "/api/v1/surveys/responses/{id}/",
        "/api/v1/segments/",
        "/api/v1/segments/{id}/",
        "/api/v1/segments/{id}/clients/",
        "/api/v1/segments/preview/",
        "/api/v1/segment-actions/",
        "/api/v1/segment-actions/{id}/",
        "/api/v1/announcements/",
        "/api/v1/announcements/{id}/",
        "/api/v1/dashboard/",
        "/api/v1/audit-events/",
        "/api/v1/audit-events/{id}/",
    }


def test_clients_have_no_delete_operation(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert sorted(paths["/api/v1/clients/{id}/"]) == ["get", "patch", "put"]
    assert sorted(paths["/api/v1/contacts/{id}/"]) == ["delete", "get", "patch", "put"]


def test_orders_and_products_have_no_delete_operation(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert sorted(paths["/api/v1/orders/{id}/"]) == ["get", "patch", "put"]
    assert sorted(paths["/api/v1/products/{id}/"]) == ["get", "patch", "put"]
    assert sorted(paths["/api/v1/orders/{id}/transition/"]) == ["post"]


def test_order_transition_documents_the_conflict_response(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    operation = schema["paths"]["/api/v1/orders/{id}/transition/"]["post"]
    assert sorted(operation["responses"]) == ["200", "400", "403", "404", "409"]
    assert operation["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OrderTransitionRefused"
    }
    assert schema["components"]["schemas"]["OrderStatusEnum"]["enum"] == [
        "draft",
        "confirmed",
        "in_progress",
        "shipped",
        "delivered",
        "cancelled",
    ]


def test_complaints_are_changed_by_patch_only_and_never_deleted(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert sorted(paths["/api/v1/complaints/"]) == ["get", "post"]
    assert sorted(paths["/api/v1/complaints/{id}/"]) == ["get", "patch"]
    assert sorted(paths["/api/v1/complaints/{id}/activities/"]) == ["get", "post"]
    assert sorted(paths["/api/v1/complaint-categories/"]) == ["get"]
    assert sorted(paths["/api/v1/root-causes/"]) == ["get"]


def test_complaint_transition_documents_the_conflict_response(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    operation = schema["paths"]["/api/v1/complaints/{id}/transition/"]["post"]
    assert sorted(operation["responses"]) == ["200", "400", "403", "404", "409"]
    assert operation["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ComplaintTransitionRefused"
    }
    assert schema["components"]["schemas"]["ComplaintStatusEnum"]["enum"] == [
        "new",
        "in_progress",
        "waiting",
        "resolved",
        "closed",
    ]
    # the order statuses keep their own enum: no hashed names from colliding field names
    assert schema["components"]["schemas"]["OrderStatusEnum"]["enum"][0] == "draft"


def test_surveys_are_read_only_and_never_mention_a_token(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    survey_paths = {path: operations for path, operations in schema["paths"].items() if "/surveys/" in path}
    assert {path: sorted(operations) for path, operations in survey_paths.items()} == {
        "/api/v1/surveys/requests/": ["get"],
        "/api/v1/surveys/requests/{id}/": ["get"],
        "/api/v1/surveys/responses/": ["get"],
        "/api/v1/surveys/responses/{id}/": ["get"],
    }
    components = schema["components"]["schemas"]
    for name in ("SurveyRequest", "SurveyResponse", "PaginatedSurveyRequestList", "PaginatedSurveyResponseList"):
        assert name in components
    parameters = {p["name"] for ops in survey_paths.values() for op in ops.values() for p in op.get("parameters", [])}
    properties = set(components["SurveyRequest"]["properties"]) | set(components["SurveyResponse"]["properties"])
    assert [name for name in parameters | properties if "token" in name] == []
    assert {"status", "answered_from", "low", "ordering"} <= parameters


def test_survey_enums_have_their_own_names(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    components = response.json()["components"]["schemas"]
    assert components["SurveyKindEnum"]["enum"] == ["csat", "nps"]
    assert components["SurveyTriggerEnum"]["enum"] == [
        "order_delivered",
        "complaint_resolved",
        "meeting_completed",
        "relationship_nps",
        "manual",
    ]
    assert components["SurveyStatusEnum"]["enum"][:3] == ["pending", "sending", "sent"]
    assert components["SurveyNpsCategoryEnum"]["enum"] == ["detractor", "passive", "promoter"]
    # shared with the follow-up API, where a status is never null: the survey's nullable field keeps null out
    assert components["FollowUpStatusEnum"]["enum"] == ["open", "done", "cancelled"]
    assert components["SurveyResponse"]["properties"]["follow_up_status"]["nullable"] is True
    # the interactions' kinds and statuses keep their names
    assert components["KindEnum"]["enum"][0] == "call"
    assert components["InteractionStatusEnum"]["enum"][0] == "completed"


def test_segments_are_crud_with_rules_as_an_object_and_paginated_members(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    paths = schema["paths"]
    assert sorted(paths["/api/v1/segments/"]) == ["get", "post"]
    assert sorted(paths["/api/v1/segments/{id}/"]) == ["delete", "get", "patch", "put"]
    assert sorted(paths["/api/v1/segments/{id}/clients/"]) == ["get"]
    members = paths["/api/v1/segments/{id}/clients/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert members["schema"] == {"$ref": "#/components/schemas/PaginatedClientList"}
    segment = schema["components"]["schemas"]["Segment"]
    assert set(segment["properties"]) == {
        "id",
        "name",
        "description",
        "colour",
        "rules",
        "is_active",
        "created_by",
        "created_at",
        "updated_at",
    }
    assert segment["properties"]["rules"]["type"] == "object"
    assert segment["properties"]["created_by"]["readOnly"] is True


def test_the_dashboard_is_one_typed_read_with_the_pages_parameters(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    components = schema["components"]["schemas"]
    operations = schema["paths"]["/api/v1/dashboard/"]
    assert sorted(operations) == ["get"]
    operation = operations["get"]
    assert sorted(operation["responses"]) == ["200", "400", "403", "404"]
    # one dashboard, neither a list nor a page of them
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Dashboard"
    }
    parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    assert set(parameters) == set(DashboardForm.base_fields) | {"sort", "refresh"}
    assert parameters["date_from"] == {"type": "string", "format": "date"}
    assert parameters["team"] == {"type": "integer"}
    assert parameters["refresh"] == {"type": "boolean", "default": False}
    assert parameters["tier"]["enum"] == ["standard", "key", "vip"]
    assert components["DashboardPeriodEnum"]["enum"] == ["yesterday", "7", "30", "90", "quarter", "custom"]
    assert components["DashboardSortEnum"]["enum"][:4] == ["name", "-name", "clients", "-clients"]

    dashboard = components["Dashboard"]
    assert sorted(dashboard["required"]) == [
        "at_risk",
        "computed_at",
        "currency",
        "groups",
        "managers",
        "period",
        "previous",
        "scope",
    ]
    assert dashboard["properties"]["groups"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/DashboardTileGroup"},
    }
    assert dashboard["properties"]["managers"]["items"] == {"$ref": "#/components/schemas/DashboardManager"}
    kpi = components["DashboardKpi"]["properties"]
    assert set(kpi) == {
        "key",
        "label",
        "help",
        "unit",
        "value",
        "previous",
        "change",
        "trend",
        "thin",
        "previous_thin",
        "display",
        "note",
        "url",
        "current_only",
    }
    assert kpi["value"]["oneOf"][0] == {"type": "number"}
    assert kpi["value"]["oneOf"][1]["format"] == "decimal"
    assert kpi["value"]["nullable"] is True
    assert kpi["url"]["format"] == "uri"
    assert kpi["trend"]["nullable"] is True
    assert components["DashboardTrendEnum"]["enum"] == ["better", "worse", "same"]
    assert components["DashboardUnitEnum"]["enum"] == [
        "percent",
        "nps",
        "business_minutes",
        "seconds",
        "count",
        "money",
    ]
    assert dashboard["properties"]["at_risk"]["allOf"] == [{"$ref": "#/components/schemas/DashboardAtRisk"}]
    at_risk_client = components["DashboardAtRiskClient"]["properties"]
    assert set(at_risk_client) == {"id", "name", "url", "manager", "score", "entered_at", "revenue", "revenue_note"}
    assert at_risk_client["revenue"]["oneOf"][1]["format"] == "decimal"
    manager = components["DashboardManager"]["properties"]
    assert manager["csat"] == {"$ref": "#/components/schemas/DashboardScore"}
    assert manager["revenue"]["format"] == "decimal"
    assert manager["sla"] == {
        "type": "number",
        "format": "double",
        "nullable": True,
        "description": "SLA compliance %",
    }
    assert set(components["DashboardManagerLinks"]["properties"]) == {
        "clients",
        "interactions",
        "follow_ups_done",
        "follow_ups_overdue",
        "open_complaints",
        "sla",
        "csat",
        "nps",
        "revenue",
    }
    assert components["DashboardScope"]["properties"]["tier"]["oneOf"] == [
        {"$ref": "#/components/schemas/TierEnum"},
        {"$ref": "#/components/schemas/NullEnum"},
    ]


def test_the_lists_the_dashboard_links_to_take_its_filters(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]

    def parameters(path):
        return {parameter["name"]: parameter["schema"] for parameter in paths[path]["get"]["parameters"]}

    interactions = parameters("/api/v1/interactions/")
    assert {"team", "tier", "from", "to", "logged_by", "status"} <= set(interactions)
    assert interactions["from"] == {"type": "string", "format": "date"}
    answers = parameters("/api/v1/surveys/responses/")
    assert {"team", "tier", "manager", "from", "to", "kind", "band"} <= set(answers)
    assert answers["band"]["enum"] == ["detractor", "neutral", "passive", "promoter", "satisfied", "unhappy"]


@pytest.mark.parametrize(
    ("url", "bundle"),
    [
        ("/api/docs/", "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"),
        ("/api/redoc/", "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"),
    ],
)
def test_api_docs_load_only_local_static_files(client, url, bundle):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"https?://\S+", html) == []
    assert bundle in html
