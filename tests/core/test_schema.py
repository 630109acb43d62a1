import re

import pytest

pytestmark = pytest.mark.django_db


def test_schema_lists_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert paths == {
        "/api/v1/auth/token/",
        "/api/v1/clients/",
        "/api/v1/clients/{id}/",
        "/api/v1/contacts/",
        "/api/v1/contacts/{id}/",
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
