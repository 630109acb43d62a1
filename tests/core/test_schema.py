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
