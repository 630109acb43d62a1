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
