import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import NumberSequence
from orders.models import Order, OrderLine, OrderStatus, OrderTransition, Product, TierDiscount
from tests.factories.contacts import ContactFactory
from tests.factories.orders import ProductFactory, line, make_order

PRODUCTS = "/api/v1/products/"
ORDERS = "/api/v1/orders/"


def url(base, obj, action=""):
    return f"{base}{obj.pk}/{action + '/' if action else ''}"


def local(moment):
    return timezone.localtime(moment).isoformat()


def results(response, key):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def snapshot(order):
    """What a refused write must leave as it was: the order's fields and its lines."""
    order = Order.objects.get(pk=order.pk)
    lines = list(order.lines.values_list("description", "quantity", "unit_price", "discount_percent", "line_total"))
    return (order.status, order.currency, order.notes, order.contact_id, order.promised_on, order.total, lines)


@pytest.fixture
def orders(org):
    """A draft order on each client, by its manager, created in this order: own, teammate's, foreign."""
    return {
        "own": make_order(actor=org.manager, client=org.client, lines=[line("Own item", "2", "10.00")]),
        "team": make_order(actor=org.teammate, client=org.team_client, lines=[line("Team item")]),
        "foreign": make_order(actor=org.outsider, client=org.foreign_client, lines=[line("Foreign item")]),
    }


def two_lines():
    return [
        {"description": "Bolts", "quantity": "3", "unit_price": "12.50", "discount_percent": "10"},
        {"description": "Nuts", "quantity": "2", "unit_price": "9.99", "discount_percent": "0"},
    ]


# --- authentication ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [PRODUCTS, ORDERS])
def test_unauthenticated_requests_are_refused(api, org, base):
    assert api.get(base).status_code == 401


def test_unauthenticated_order_create_creates_nothing(api, org):
    response = api.post(ORDERS, {"client": org.client.pk, "lines": two_lines()}, format="json")

    assert response.status_code == 401
    assert not Order.objects.exists()


# --- products ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    return [
        ProductFactory(name="Bolt M8", sku="B-8", default_price=Decimal("0.40")),
        ProductFactory(name="Anchor", sku="A-1", default_price=Decimal("3.00")),
        ProductFactory(name="Old bolt", sku="B-OLD", is_active=False),
    ]


@pytest.mark.parametrize("role", ["manager", "lead", "admin"])
def test_every_role_reads_the_whole_catalogue_by_name(as_api_user, org, catalogue, role):
    response = as_api_user(getattr(org, role)).get(PRODUCTS)

    assert results(response, "name") == ["Anchor", "Bolt M8", "Old bolt"]


def test_product_detail_shows_every_field(as_api_user, org, catalogue):
    product = catalogue[0]

    response = as_api_user(org.manager).get(url(PRODUCTS, product))

    assert response.status_code == 200
    assert response.json() == {
        "id": product.pk,
        "name": "Bolt M8",
        "sku": "B-8",
        "unit": "pcs",
        "default_price": "0.4000",
        "currency": "EUR",
        "is_active": True,
        "created_at": local(product.created_at),
        "updated_at": local(product.updated_at),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"active": "true"}, ["Anchor", "Bolt M8"]),
        ({"active": "false"}, ["Old bolt"]),
        ({"search": "bolt"}, ["Bolt M8", "Old bolt"]),
        ({"search": "a-1"}, ["Anchor"]),
        ({"ordering": "-default_price", "active": "true"}, ["Anchor", "Bolt M8"]),
        ({"ordering": "sku"}, ["Anchor", "Bolt M8", "Old bolt"]),
    ],
)
def test_product_filters(as_api_user, org, catalogue, params, expected):
    assert results(as_api_user(org.manager).get(PRODUCTS, params), "name") == expected


def test_admin_adds_a_product(as_api_user, org):
    response = as_api_user(org.admin).post(
        PRODUCTS,
        {"name": "Drill", "sku": "D-100", "unit": "pcs", "default_price": "149.90", "currency": "usd"},
        format="json",
    )

    assert response.status_code == 201, response.content
    product = Product.objects.get()
    assert response.json()["id"] == product.pk
    assert (product.name, product.sku, product.default_price, product.currency, product.is_active) == (
        "Drill",
        "D-100",
        Decimal("149.90"),
        "USD",
        True,
    )


def test_admin_deactivates_a_product_instead_of_deleting_it(as_api_user, org, catalogue):
    api = as_api_user(org.admin)

    assert api.delete(url(PRODUCTS, catalogue[0])).status_code == 405
    response = api.patch(url(PRODUCTS, catalogue[0]), {"is_active": False}, format="json")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    catalogue[0].refresh_from_db()
    assert catalogue[0].is_active is False


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_only_admins_change_the_catalogue(as_api_user, org, catalogue, role):
    api = as_api_user(getattr(org, role))
    payload = {"name": "Drill", "sku": "D-100", "default_price": "1", "currency": "EUR"}

    created = api.post(PRODUCTS, payload, format="json")
    patched = api.patch(url(PRODUCTS, catalogue[0]), {"default_price": "0.01"}, format="json")
    put = api.put(url(PRODUCTS, catalogue[0]), payload, format="json")

    assert [created.status_code, patched.status_code, put.status_code] == [403, 403, 403]
    assert created.json() == {"detail": "Only administrators can change the product catalogue."}
    assert Product.objects.count() == 3
    catalogue[0].refresh_from_db()
    assert (catalogue[0].name, catalogue[0].default_price) == ("Bolt M8", Decimal("0.4000"))


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"currency": "XYZ"},
            {"currency": ["Unknown currency “XYZ”. Use one of: EUR, USD, GBP, PLN, SEK, NOK, DKK, CHF."]},
        ),
        ({"sku": "A-1"}, {"sku": ["Another product already has this SKU."]}),
        ({"default_price": "-0.01"}, {"default_price": ["The price cannot be negative."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
    ],
)
def test_bad_product_input_returns_field_errors_and_adds_nothing(as_api_user, org, catalogue, payload, errors):
    valid = {"name": "Drill", "sku": "D-100", "default_price": "1.00", "currency": "EUR"}

    response = as_api_user(org.admin).post(PRODUCTS, {**valid, **payload}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert Product.objects.count() == 3


def test_renaming_a_products_sku_to_a_taken_one_is_a_field_error(as_api_user, org, catalogue):
    response = as_api_user(org.admin).patch(url(PRODUCTS, catalogue[0]), {"sku": "A-1"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"sku": ["Another product already has this SKU."]}
    catalogue[0].refresh_from_db()
    assert catalogue[0].sku == "B-8"


# --- orders: reads ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["team", "own"]),
        ("teammate", ["team", "own"]),
        ("lead", ["team", "own"]),
        ("outsider", ["foreign"]),
        ("other_lead", ["foreign"]),
        ("admin", ["foreign", "team", "own"]),
    ],
)
def test_each_role_lists_the_orders_of_the_clients_it_sees_newest_first(as_api_user, org, orders, role, expected):
    response = as_api_user(getattr(org, role)).get(ORDERS)

    assert results(response, "number") == [orders[key].number for key in expected]
    assert response.json()["count"] == len(expected)


def test_order_detail_shows_every_field(as_api_user, org):
    contact = ContactFactory(client=org.client)
    product = ProductFactory(name="Bolt M8", unit="box")
    promised = timezone.localdate() + timedelta(days=5)
    order = make_order(
        actor=org.manager,
        client=org.client,
        contact=contact,
        notes="Deliver to the back door",
        promised_on=promised,
        lines=[line("", "3", "12.50", "10", product=product), line("Setup", "1", "20")],
        status=OrderStatus.CONFIRMED,
    )

    response = as_api_user(org.teammate).get(url(ORDERS, order))

    assert response.status_code == 200
    assert response.json() == {
        "id": order.pk,
        "number": order.number,
        "url": f"http://testserver/orders/{order.pk}/",
        "client": org.client.pk,
        "client_name": "Own Client UAB",
        "contact": contact.pk,
        "status": "confirmed",
        "status_label": "Confirmed",
        "allowed_transitions": ["in_progress", "cancelled"],
        "currency": "EUR",
        "promised_on": promised.isoformat(),
        "is_overdue": False,
        "delivered_at": None,
        "cancel_reason": "",
        "notes": "Deliver to the back door",
        "lines": [
            {
                "product": product.pk,
                "description": "Bolt M8",
                "quantity": "3.000",
                "unit": "box",
                "unit_price": "12.5000",
                "discount_percent": "10.00",
                "line_total": "33.75",
            },
            {
                "product": None,
                "description": "Setup",
                "quantity": "1.000",
                "unit": "",
                "unit_price": "20.0000",
                "discount_percent": "0.00",
                "line_total": "20.00",
            },
        ],
        "subtotal": "57.50",
        "discount_total": "3.75",
        "total": "53.75",
        "created_at": local(order.created_at),
        "updated_at": local(Order.objects.get(pk=order.pk).updated_at),
    }


def test_order_past_its_promised_date_is_overdue(as_api_user, org):
    order = make_order(
        actor=org.manager,
        client=org.client,
        promised_on=timezone.localdate() - timedelta(days=1),
        status=OrderStatus.SHIPPED,
    )

    response = as_api_user(org.manager).get(url(ORDERS, order))

    assert (response.json()["is_overdue"], response.json()["allowed_transitions"]) == (True, ["delivered", "cancelled"])


@pytest.mark.parametrize(("role", "target"), [("manager", "foreign"), ("other_lead", "own"), ("outsider", "team")])
def test_invisible_order_is_not_found_for_reads_and_writes(as_api_user, org, orders, role, target):
    api = as_api_user(getattr(org, role))
    order = orders[target]
    before = snapshot(order)

    assert api.get(url(ORDERS, order)).status_code == 404
    assert api.patch(url(ORDERS, order), {"notes": "Mine"}, format="json").status_code == 404
    assert api.put(url(ORDERS, order), {"notes": "Mine"}, format="json").status_code == 404
    assert api.post(url(ORDERS, order, "transition"), {"status": "confirmed"}, format="json").status_code == 404
    assert snapshot(order) == before


# --- orders: permissions for writes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target"),
    [("manager", "own"), ("lead", "own"), ("lead", "team"), ("admin", "team"), ("admin", "foreign")],
)
def test_who_may_edit_the_client_edits_its_orders(as_api_user, org, orders, role, target):
    response = as_api_user(getattr(org, role)).patch(url(ORDERS, orders[target]), {"notes": "Checked"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["notes"] == "Checked"
    assert Order.objects.get(pk=orders[target].pk).notes == "Checked"


def test_teammates_order_is_visible_but_read_only(as_api_user, org, orders):
    api = as_api_user(org.manager)
    order = orders["team"]
    before = snapshot(order)

    assert api.get(url(ORDERS, order)).status_code == 200
    # refused before the (invalid) input is even looked at
    response = api.patch(url(ORDERS, order), {"currency": "XYZ"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this order but not change it."}
    assert api.put(url(ORDERS, order), {"notes": "Mine"}, format="json").status_code == 403
    assert api.post(url(ORDERS, order, "transition"), {"status": "cancelled"}, format="json").status_code == 403
    assert snapshot(order) == before
    assert OrderTransition.objects.filter(order=order).count() == 1


def test_orders_cannot_be_deleted(as_api_user, org, orders):
    response = as_api_user(org.admin).delete(url(ORDERS, orders["own"]))

    assert response.status_code == 405
    assert Order.objects.filter(pk=orders["own"].pk).exists()


# --- orders: taking an order ------------------------------------------------------------------------------------------


def test_manager_takes_an_order_with_two_lines(as_api_user, org):
    contact = ContactFactory(client=org.client)
    promised = timezone.localdate() + timedelta(days=10)

    response = as_api_user(org.manager).post(
        ORDERS,
        {
            "client": org.client.pk,
            "contact": contact.pk,
            "promised_on": promised.isoformat(),
            "notes": " Urgent ",
            "lines": two_lines(),
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    order = Order.objects.get()
    body = response.json()
    assert body["id"] == order.pk
    assert re.fullmatch(rf"ORD-{timezone.localdate().year}-\d{{6}}", body["number"])
    assert body["number"] == order.number == f"ORD-{timezone.localdate().year}-000001"
    assert (body["status"], body["currency"], body["client_name"], body["notes"]) == (
        "draft",
        "EUR",
        "Own Client UAB",
        "Urgent",
    )
    assert [row["line_total"] for row in body["lines"]] == ["33.75", "19.98"]
    assert (body["subtotal"], body["discount_total"], body["total"]) == ("57.48", "3.75", "53.73")
    assert (order.client, order.contact, order.promised_on, order.created_by) == (
        org.client,
        contact,
        promised,
        org.manager,
    )
    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal("57.48"),
        Decimal("3.75"),
        Decimal("53.73"),
    )
    assert list(order.lines.values_list("position", "description", "line_total")) == [
        (1, "Bolts", Decimal("33.75")),
        (2, "Nuts", Decimal("19.98")),
    ]
    assert list(OrderTransition.objects.values_list("from_status", "to_status", "actor")) == [
        ("", "draft", org.manager.pk)
    ]


def test_order_currency_is_normalised(as_api_user, org):
    response = as_api_user(org.manager).post(
        ORDERS, {"client": org.client.pk, "currency": "usd", "lines": two_lines()}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["currency"] == "USD"
    assert Order.objects.get().currency == "USD"


def test_product_line_takes_the_products_name_unit_and_price(as_api_user, org):
    product = ProductFactory(name="Anchor", unit="box", default_price=Decimal("4.25"), currency="EUR")

    response = as_api_user(org.manager).post(
        ORDERS, {"client": org.client.pk, "lines": [{"product": product.pk, "quantity": "2"}]}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["lines"] == [
        {
            "product": product.pk,
            "description": "Anchor",
            "quantity": "2.000",
            "unit": "box",
            "unit_price": "4.2500",
            "discount_percent": "0.00",
            "line_total": "8.50",
        }
    ]
    assert response.json()["total"] == "8.50"


def test_line_discount_defaults_to_the_clients_tier_discount(as_api_user, org):
    TierDiscount.objects.create(tier=org.client.tier, percent=Decimal("5"))

    response = as_api_user(org.manager).post(
        ORDERS,
        {"client": org.client.pk, "lines": [{"description": "Service", "quantity": "1", "unit_price": "100"}]},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["lines"][0]["discount_percent"], response.json()["total"]) == ("5.00", "95.00")


def test_product_priced_in_another_currency_needs_a_unit_price(as_api_user, org):
    product = ProductFactory(currency="USD")

    response = as_api_user(org.manager).post(
        ORDERS,
        {
            "client": org.client.pk,
            "currency": "EUR",
            "lines": [
                {"description": "Free text", "quantity": "1", "unit_price": "1"},
                {"product": product.pk, "quantity": "1"},
            ],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "lines": {"1": {"unit_price": ["Enter the unit price: the product is priced in USD, the order in EUR."]}}
    }
    assert not Order.objects.exists()


def test_taking_an_order_for_a_teammates_client_is_forbidden(as_api_user, org):
    response = as_api_user(org.manager).post(
        ORDERS, {"client": org.team_client.pk, "lines": two_lines()}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this client but not change it."}
    assert not Order.objects.exists()


def test_taking_an_order_for_an_invisible_client_is_a_bad_request(as_api_user, org):
    response = as_api_user(org.manager).post(
        ORDERS, {"client": org.foreign_client.pk, "lines": two_lines()}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"client": [f'Invalid pk "{org.foreign_client.pk}" - object does not exist.']}
    assert not Order.objects.exists()


def _bad_line(**fields):
    return {"lines": [{"description": "Bolts", "quantity": "1", "unit_price": "1.00", **fields}]}


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (_bad_line(quantity="0"), {"lines": {"0": {"quantity": ["The quantity must be greater than zero."]}}}),
        (_bad_line(quantity="-2"), {"lines": {"0": {"quantity": ["The quantity must be greater than zero."]}}}),
        (_bad_line(unit_price="-0.01"), {"lines": {"0": {"unit_price": ["The unit price cannot be negative."]}}}),
        (
            _bad_line(discount_percent="100.01"),
            {"lines": {"0": {"discount_percent": ["The discount must be between 0 and 100 %."]}}},
        ),
        (
            _bad_line(discount_percent="-1"),
            {"lines": {"0": {"discount_percent": ["The discount must be between 0 and 100 %."]}}},
        ),
        (_bad_line(description=""), {"lines": {"0": {"description": ["Choose a product or describe the item."]}}}),
        (_bad_line(unit_price=None), {"lines": {"0": {"unit_price": ["Enter the unit price."]}}}),
        (
            {**_bad_line(), "currency": "XYZ"},
            {"currency": ["Unknown currency “XYZ”. Use one of: EUR, USD, GBP, PLN, SEK, NOK, DKK, CHF."]},
        ),
        ({"lines": []}, {"lines": ["Add at least one line."]}),
        ({}, {"lines": ["This field is required."]}),
        (
            {**_bad_line(), "promised_on": "soon"},
            {"promised_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
    ],
)
def test_bad_order_input_returns_field_errors_and_creates_nothing(as_api_user, org, payload, errors):
    response = as_api_user(org.manager).post(ORDERS, {"client": org.client.pk, **payload}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not NumberSequence.objects.filter(scope="order").exists()


def test_inactive_product_cannot_go_on_a_new_line(as_api_user, org):
    product = ProductFactory(is_active=False)

    response = as_api_user(org.manager).post(
        ORDERS, {"client": org.client.pk, "lines": [{"product": product.pk, "quantity": "1"}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"lines": {"0": {"product": ["This product is no longer sold."]}}}
    assert not Order.objects.exists()


def test_contact_of_another_client_is_refused_by_the_service_and_nothing_is_kept(as_api_user, org):
    other = ContactFactory(client=org.team_client)

    response = as_api_user(org.manager).post(
        ORDERS, {"client": org.client.pk, "contact": other.pk, "lines": two_lines()}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"contact": ["Choose a contact of this client."]}
    assert not Order.objects.exists()
    assert not NumberSequence.objects.filter(scope="order").exists()


def test_invisible_contact_is_unknown(as_api_user, org):
    foreign = ContactFactory(client=org.foreign_client)

    response = as_api_user(org.manager).post(
        ORDERS, {"client": org.client.pk, "contact": foreign.pk, "lines": two_lines()}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"contact": [f'Invalid pk "{foreign.pk}" - object does not exist.']}
    assert not Order.objects.exists()


# --- orders: changing an order ----------------------------------------------------------------------------------------


def test_update_keeps_the_lines_unless_new_ones_are_sent(as_api_user, org, orders):
    api = as_api_user(org.manager)
    order = orders["own"]

    kept = api.patch(url(ORDERS, order), {"notes": "Call first"}, format="json")
    replaced = api.patch(url(ORDERS, order), {"lines": two_lines()}, format="json")

    assert kept.status_code == 200
    assert [row["description"] for row in kept.json()["lines"]] == ["Own item"]
    assert kept.json()["total"] == "20.00"
    assert replaced.status_code == 200, replaced.content
    assert [row["description"] for row in replaced.json()["lines"]] == ["Bolts", "Nuts"]
    assert (replaced.json()["total"], replaced.json()["notes"]) == ("53.73", "Call first")
    order.refresh_from_db()
    assert (order.total, order.notes) == (Decimal("53.73"), "Call first")
    assert list(order.lines.values_list("description", flat=True)) == ["Bolts", "Nuts"]


def test_put_changes_the_header_without_resending_client_or_lines(as_api_user, org, orders):
    contact = ContactFactory(client=org.client)
    promised = timezone.localdate() + timedelta(days=30)

    response = as_api_user(org.manager).put(
        url(ORDERS, orders["own"]),
        {"contact": contact.pk, "promised_on": promised.isoformat(), "notes": "New", "currency": "GBP"},
        format="json",
    )

    assert response.status_code == 200, response.content
    order = Order.objects.get(pk=orders["own"].pk)
    assert (order.contact, order.promised_on, order.notes, order.currency, order.total) == (
        contact,
        promised,
        "New",
        "GBP",
        Decimal("20.00"),
    )
    assert order.history.latest().history_user == org.manager


def test_number_and_status_cannot_be_written(as_api_user, org, orders):
    order = orders["own"]

    response = as_api_user(org.admin).patch(
        url(ORDERS, order), {"number": "ORD-1999-000001", "status": "delivered", "total": "0"}, format="json"
    )

    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.number, order.status, order.total) == (orders["own"].number, "draft", Decimal("20.00"))


def test_an_order_cannot_move_to_another_client(as_api_user, org, orders):
    before = snapshot(orders["own"])

    response = as_api_user(org.lead).patch(url(ORDERS, orders["own"]), {"client": org.team_client.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"client": ["An order cannot be moved to another client."]}
    assert Order.objects.get(pk=orders["own"].pk).client == org.client
    assert snapshot(orders["own"]) == before


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (_bad_line(quantity="0"), {"lines": {"0": {"quantity": ["The quantity must be greater than zero."]}}}),
        (_bad_line(unit_price="-5"), {"lines": {"0": {"unit_price": ["The unit price cannot be negative."]}}}),
        (
            _bad_line(discount_percent="101"),
            {"lines": {"0": {"discount_percent": ["The discount must be between 0 and 100 %."]}}},
        ),
        (
            {"currency": "ABC"},
            {"currency": ["Unknown currency “ABC”. Use one of: EUR, USD, GBP, PLN, SEK, NOK, DKK, CHF."]},
        ),
        ({"lines": []}, {"lines": ["Add at least one line."]}),
        ({"notes": "Changed", "contact": 0}, {"contact": ['Invalid pk "0" - object does not exist.']}),
    ],
)
def test_bad_update_input_returns_field_errors_and_changes_nothing(as_api_user, org, orders, payload, errors):
    before = snapshot(orders["own"])

    response = as_api_user(org.manager).patch(url(ORDERS, orders["own"]), payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert snapshot(orders["own"]) == before


def test_lines_of_a_confirmed_order_cannot_change(as_api_user, org):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.CONFIRMED)
    before = snapshot(order)

    response = as_api_user(org.manager).patch(
        url(ORDERS, order), {"notes": "More", "lines": two_lines()}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"lines": ["Lines and currency can only be changed while the order is a draft."]}
    assert snapshot(order) == before


def test_a_delivered_order_cannot_be_changed(as_api_user, org):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.DELIVERED)
    before = snapshot(order)

    response = as_api_user(org.manager).patch(url(ORDERS, order), {"notes": "Late note"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A delivered or cancelled order cannot be changed."]}
    assert snapshot(order) == before


# --- orders: status transitions ---------------------------------------------------------------------------------------


def test_confirming_a_draft_order(as_api_user, org, orders):
    order = orders["own"]

    response = as_api_user(org.manager).post(url(ORDERS, order, "transition"), {"status": "confirmed"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["number"], body["status"], body["status_label"], body["allowed_transitions"]) == (
        order.number,
        "confirmed",
        "Confirmed",
        ["in_progress", "cancelled"],
    )
    assert [row["description"] for row in body["lines"]] == ["Own item"]
    assert Order.objects.get(pk=order.pk).status == "confirmed"
    assert list(OrderTransition.objects.filter(order=order).values_list("from_status", "to_status", "actor")) == [
        ("", "draft", org.manager.pk),
        ("draft", "confirmed", org.manager.pk),
    ]


def test_team_lead_moves_a_members_order_along(as_api_user, org):
    order = make_order(actor=org.teammate, client=org.team_client, status=OrderStatus.SHIPPED)

    response = as_api_user(org.lead).post(url(ORDERS, order, "transition"), {"status": "delivered"}, format="json")

    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.status == "delivered"
    assert response.json()["delivered_at"] == local(order.delivered_at)


def test_forbidden_transition_is_a_conflict_naming_the_allowed_ones(as_api_user, org, orders):
    order = orders["own"]

    response = as_api_user(org.manager).post(url(ORDERS, order, "transition"), {"status": "delivered"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "An order that is draft cannot become delivered.",
        "allowed_transitions": ["confirmed", "cancelled"],
    }
    order.refresh_from_db()
    assert (order.status, order.delivered_at) == ("draft", None)
    assert OrderTransition.objects.filter(order=order).count() == 1


def test_a_cancelled_order_goes_nowhere(as_api_user, org):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.CANCELLED)

    response = as_api_user(org.manager).post(url(ORDERS, order, "transition"), {"status": "confirmed"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "An order that is cancelled cannot become confirmed.",
        "allowed_transitions": [],
    }


def test_cancelling_with_a_reason(as_api_user, org, orders):
    response = as_api_user(org.manager).post(
        url(ORDERS, orders["own"], "transition"),
        {"status": "cancelled", "reason": " Client changed mind "},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_reason"], response.json()["allowed_transitions"]) == (
        "cancelled",
        "Client changed mind",
        [],
    )
    assert OrderTransition.objects.get(order=orders["own"], to_status="cancelled").reason == "Client changed mind"


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"status": "cancelled"}, {"reason": ["Give a reason for cancelling the order."]}),
        ({"status": "cancelled", "reason": "   "}, {"reason": ["Give a reason for cancelling the order."]}),
        ({"status": "lost"}, {"status": ['"lost" is not a valid choice.']}),
        ({}, {"status": ["This field is required."]}),
    ],
)
def test_bad_transition_input_is_a_bad_request_and_changes_nothing(as_api_user, org, orders, payload, errors):
    order = orders["own"]

    response = as_api_user(org.manager).post(url(ORDERS, order, "transition"), payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == ("draft", "")
    assert OrderTransition.objects.filter(order=order).count() == 1


def test_confirming_without_a_promised_date_is_a_bad_request(as_api_user, org):
    order = make_order(actor=org.manager, client=org.client)
    Order.objects.filter(pk=order.pk).update(promised_on=None)

    response = as_api_user(org.manager).post(url(ORDERS, order, "transition"), {"status": "confirmed"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Set the promised delivery date before confirming."]}
    assert Order.objects.get(pk=order.pk).status == "draft"


# --- orders: filters and query count ----------------------------------------------------------------------------------


@pytest.fixture
def filter_orders(org):
    today = timezone.localdate()
    return {
        "late": make_order(
            actor=org.manager,
            client=org.client,
            lines=[line("Late", "1", "300")],
            promised_on=today - timedelta(days=2),
            status=OrderStatus.IN_PROGRESS,
        ),
        "draft": make_order(actor=org.manager, client=org.client, lines=[line("Draft", "1", "100")]),
        "team": make_order(
            actor=org.teammate,
            client=org.team_client,
            lines=[line("Team", "1", "200")],
            status=OrderStatus.CONFIRMED,
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["team", "draft", "late"]),
        ({"status": "draft"}, ["draft"]),
        ({"overdue": "true"}, ["late"]),
        ({"q": "teammate"}, ["team"]),
        ({"sort": "total"}, ["draft", "team", "late"]),
        ({"sort": "-total"}, ["late", "team", "draft"]),
    ],
)
def test_order_filters(as_api_user, org, filter_orders, params, expected):
    response = as_api_user(org.lead).get(ORDERS, params)

    assert results(response, "number") == [filter_orders[key].number for key in expected]


def test_order_filters_by_client_manager_number_and_dates(as_api_user, org, filter_orders):
    api = as_api_user(org.lead)
    today = timezone.localdate().isoformat()
    numbers = {key: order.number for key, order in filter_orders.items()}

    assert results(api.get(ORDERS, {"client": org.team_client.pk}), "number") == [numbers["team"]]
    assert results(api.get(ORDERS, {"manager": org.manager.pk}), "number") == [numbers["draft"], numbers["late"]]
    assert results(api.get(ORDERS, {"q": numbers["late"]}), "number") == [numbers["late"]]
    assert results(api.get(ORDERS, {"ordered_from": today, "ordered_to": today}), "number") == [
        numbers["team"],
        numbers["draft"],
        numbers["late"],
    ]
    assert results(api.get(ORDERS, {"ordered_to": "2000-01-01"}), "number") == []


def test_filtering_by_an_invisible_client_finds_nothing(as_api_user, org, filter_orders):
    make_order(actor=org.outsider, client=org.foreign_client)

    response = as_api_user(org.manager).get(ORDERS, {"client": org.foreign_client.pk})

    assert results(response, "number") == []


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"status": "lost"}, {"status": ["Select a valid choice. lost is not one of the available choices."]}),
        ({"ordered_from": "soon"}, {"ordered_from": ["Enter a valid date."]}),
        ({"sort": "secret"}, {"sort": ["Select a valid choice. secret is not one of the available choices."]}),
    ],
)
def test_bad_order_filter_values_are_a_bad_request(as_api_user, org, params, errors):
    response = as_api_user(org.manager).get(ORDERS, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_filtering_by_a_manager_one_cannot_see_is_a_bad_request(as_api_user, org):
    response = as_api_user(org.manager).get(ORDERS, {"manager": org.outsider.pk})

    assert response.status_code == 400
    assert response.json() == {"manager": ["Select a valid choice. That choice is not one of the available choices."]}


@pytest.mark.parametrize("rows", [2, 20])
def test_order_list_query_count_does_not_grow_with_orders_or_lines(
    as_api_user, org, django_assert_max_num_queries, rows
):
    product = ProductFactory()
    contact = ContactFactory(client=org.client)
    for _ in range(rows):
        make_order(
            actor=org.manager,
            client=org.client,
            contact=contact,
            lines=[line("A", product=product), line("B"), line("C")],
        )
    api = as_api_user(org.admin)

    # count, the page with clients and contacts, the page's lines
    with django_assert_max_num_queries(3):
        response = api.get(ORDERS)

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
    assert [len(row["lines"]) for row in response.json()["results"]] == [3] * rows
