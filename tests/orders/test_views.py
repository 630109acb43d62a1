"""Order pages: who sees and changes what, taking an order, lines, status, documents, the list, the client page."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from orders.models import Order, OrderAttachment, OrderLine, OrderStatus, TierDiscount, settings_zone
from orders.services.attachments import add_attachment
from orders.services.workflow import transition_order
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import InteractionFactory
from tests.factories.orders import ProductFactory, line, make_order

HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
REFUSED = "This kind of file cannot be attached."
LIST = reverse("orders:list")
CREATE = reverse("orders:create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def today():
    return timezone.localdate(timezone=settings_zone())


def number(value: int) -> str:
    return f"ORD-{today().year}-{value:06d}"


def row(description="", quantity="1", unit_price="", discount="0", product="", unit="", delete=False) -> dict:
    data = {
        "product": product,
        "description": description,
        "quantity": quantity,
        "unit": unit,
        "unit_price": unit_price,
        "discount_percent": discount,
    }
    if delete:
        data["DELETE"] = "on"
    return data


def lines_data(*rows: dict, initial: int = 0) -> dict:
    """The POST of the lines formset, as the editor sends it."""
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": str(initial),
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
    }
    for index, values in enumerate(rows):
        data.update({f"lines-{index}-{key}": value for key, value in values.items()})
    return data


TWO_LINES = (row("Bolts", "3", "12.50", "10"), row("Nuts", "2", "9.99"))


def create_data(client, *rows: dict, currency="EUR", **header) -> dict:
    return {"client": client.pk, "contact": "", "currency": currency, "promised_on": "", "notes": "", **header} | (
        lines_data(*rows)
    )


def create_url(client) -> str:
    return f"{CREATE}?client={client.pk}"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def snapshot(order: Order) -> tuple:
    """Everything a write could change on an order, to assert that a refused one changed nothing."""
    order = Order.objects.get(pk=order.pk)
    return (
        order.status,
        order.total,
        order.promised_on,
        order.notes,
        order.cancel_reason,
        list(order.lines.values_list("description", "quantity", "unit_price", "discount_percent", "line_total")),
        list(order.attachments.values_list("pk", flat=True)),
        order.transitions.count(),
    )


def pdf(name="contract.pdf", content=PDF, claimed="application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=claimed)


def stored_files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())


def own_order(org, **kwargs) -> Order:
    """An order of org.client taken by its manager, total 53.73 EUR (a draft unless a status is given)."""
    kwargs.setdefault("lines", [line("Bolts", "3", "12.50", "10"), line("Nuts", "2", "9.99")])
    return make_order(actor=org.manager, client=org.client, **kwargs)


def with_attachment(org, order: Order) -> Order:
    add_attachment(actor=org.manager, order=order, uploaded=pdf(), kind="contract")
    return order


def set_created(order: Order, day) -> None:
    moment = timezone.make_aware(datetime.combine(day, time(12)), settings_zone())
    Order.objects.filter(pk=order.pk).update(created_at=moment)


# --- Permissions ---------------------------------------------------------------------------------------------------


def order_urls(order: Order, attachment: OrderAttachment) -> dict[str, tuple[str, str]]:
    """Every order URL: name → (method, url)."""
    return {
        "list": ("get", LIST),
        "create": ("get", create_url(order.client)),
        "detail": ("get", reverse("orders:detail", args=[order.pk])),
        "edit": ("get", reverse("orders:edit", args=[order.pk])),
        "lines": ("post", reverse("orders:lines", args=[order.pk])),
        "transition": ("post", reverse("orders:transition", args=[order.pk])),
        "attachment_upload": ("post", reverse("orders:attachment_upload", args=[order.pk])),
        "attachment_download": ("get", reverse("orders:attachment_download", args=[attachment.pk])),
        "attachment_delete": ("post", reverse("orders:attachment_delete", args=[attachment.pk])),
        "preview": ("post", reverse("orders:preview")),
        "line_form": ("get", reverse("orders:line_form") + "?lines-TOTAL_FORMS=1"),
    }


URL_NAMES = [
    "list",
    "create",
    "detail",
    "edit",
    "lines",
    "transition",
    "attachment_upload",
    "attachment_download",
    "attachment_delete",
    "preview",
    "line_form",
]


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_is_sent_to_login_from_every_order_url(client, org, name):
    order = with_attachment(org, own_order(org))
    before = snapshot(order)
    method, url = order_urls(order, order.attachments.get())[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert snapshot(order) == before


@pytest.mark.parametrize(
    "name",
    [
        "create",
        "detail",
        "edit",
        "lines",
        "transition",
        "attachment_upload",
        "attachment_download",
        "attachment_delete",
    ],
)
def test_outsider_gets_404_for_every_url_of_an_order_they_cannot_see(as_user, org, name):
    order = with_attachment(org, own_order(org))
    before = snapshot(order)
    method, url = order_urls(order, order.attachments.get())[name]
    c = as_user(org.outsider)
    response = c.get(url) if method == "get" else c.post(url, {"status": "confirmed", "reason": ""})
    assert response.status_code == 404
    assert snapshot(order) == before


def test_outsider_cannot_create_an_order_for_a_client_they_cannot_see(as_user, org):
    response = as_user(org.outsider).post(create_url(org.client), create_data(org.client, *TWO_LINES))
    assert response.status_code == 404
    assert Order.objects.count() == 0


def test_outsider_cannot_ask_a_line_for_a_client_they_cannot_see(as_user, org):
    url = reverse("orders:line_form")
    response = as_user(org.outsider).get(url, {"lines-TOTAL_FORMS": "1", "client": org.client.pk})
    assert response.status_code == 404


def test_teammate_sees_the_order_read_only(as_user, org):
    order = with_attachment(org, own_order(org))
    response = as_user(org.teammate).get(order.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "Read-only" in body
    assert "Confirm order" not in body
    assert 'id="order-actions"' not in body
    assert reverse("orders:lines", args=[order.pk]) not in body
    assert reverse("orders:attachment_upload", args=[order.pk]) not in body
    assert reverse("orders:attachment_delete", args=[order.attachments.get().pk]) not in body
    assert reverse("orders:edit", args=[order.pk]) not in body
    assert "€53.73" in body  # the lines are shown as a table instead


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("edit", {"contact": "", "promised_on": "2031-01-01", "notes": "Changed", "currency": "EUR"}),
        ("lines", lines_data(row("Changed", "1", "1.00"))),
        ("transition", {"status": "confirmed"}),
        ("attachment_upload", "upload"),
        ("attachment_delete", {}),
    ],
)
def test_teammate_is_refused_every_write_and_nothing_changes(as_user, org, media, name, data):
    order = with_attachment(org, own_order(org))
    files_before = stored_files(media)
    before = snapshot(order)
    _method, url = order_urls(order, order.attachments.get())[name]
    if data == "upload":
        data = {"kind": "invoice", "file": pdf("invoice.pdf")}
    response = as_user(org.teammate).post(url, data)
    assert response.status_code == 403
    assert snapshot(order) == before
    assert stored_files(media) == files_before


def test_teammate_cannot_open_the_edit_page_or_take_an_order_for_the_client(as_user, org):
    order = own_order(org)
    c = as_user(org.teammate)
    assert c.get(reverse("orders:edit", args=[order.pk])).status_code == 403
    assert c.get(create_url(org.client)).status_code == 403
    assert c.post(create_url(org.client), create_data(org.client, *TWO_LINES)).status_code == 403
    assert Order.objects.count() == 1


@pytest.mark.parametrize("who", ["manager", "lead", "admin"])
def test_owner_lead_and_admin_may_change_the_order(as_user, org, who):
    order = own_order(org)
    c = as_user(getattr(org, who))
    body = c.get(order.get_absolute_url()).content.decode()
    assert "Confirm order" in body
    assert reverse("orders:lines", args=[order.pk]) in body
    assert reverse("orders:attachment_upload", args=[order.pk]) in body
    assert c.get(reverse("orders:edit", args=[order.pk])).status_code == 200
    assert c.get(create_url(org.client)).status_code == 200
    response = c.post(reverse("orders:lines", args=[order.pk]), lines_data(row("Only line", "1", "5.00")))
    assert response.status_code == 302
    upload = c.post(reverse("orders:attachment_upload", args=[order.pk]), {"kind": "contract", "file": pdf()})
    assert upload.status_code == 302
    attachment = order.attachments.get()
    assert c.get(reverse("orders:attachment_download", args=[attachment.pk])).status_code == 200
    assert c.post(reverse("orders:transition", args=[order.pk]), {"status": "confirmed"}).status_code == 302
    assert c.post(reverse("orders:attachment_delete", args=[attachment.pk])).status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.total == Decimal("5.00")
    assert order.attachments.count() == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", ["Own Client UAB", "Teammate Client UAB"]),
        ("teammate", ["Own Client UAB", "Teammate Client UAB"]),
        ("lead", ["Own Client UAB", "Teammate Client UAB"]),
        ("outsider", ["Foreign Client OOO"]),
        ("other_lead", ["Foreign Client OOO"]),
        ("admin", ["Foreign Client OOO", "Own Client UAB", "Teammate Client UAB"]),
    ],
)
def test_order_list_shows_only_orders_of_visible_clients(as_user, org, who, expected):
    make_order(actor=org.manager, client=org.client)
    make_order(actor=org.teammate, client=org.team_client)
    make_order(actor=org.outsider, client=org.foreign_client)
    response = as_user(getattr(org, who)).get(LIST)
    assert response.status_code == 200
    assert sorted(order.client.name for order in response.context["page"].object_list) == expected


# --- Taking an order ----------------------------------------------------------------------------------------------


def test_create_page_proposes_the_clients_own_discount_on_the_line(as_user, org):
    org.client.discount_percent = Decimal("7.50")
    org.client.save()
    TierDiscount.objects.create(tier=org.client.tier, percent=Decimal("3"))
    response = as_user(org.manager).get(create_url(org.client))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["discount"] == Decimal("7.50")
    assert re.search(r'name="lines-0-discount_percent"[^>]* value="7\.5"', body)


def test_create_page_proposes_the_tier_discount_when_the_client_has_none(as_user, org):
    org.client.tier = "key"
    org.client.save()
    TierDiscount.objects.create(tier="key", percent=Decimal("5.00"))
    response = as_user(org.manager).get(create_url(org.client))
    assert response.context["discount"] == Decimal("5.00")
    assert re.search(r'name="lines-0-discount_percent"[^>]* value="5"', response.content.decode())


def test_create_with_two_lines_makes_a_numbered_draft_and_opens_it(as_user, org):
    response = as_user(org.manager).post(create_url(org.client), create_data(org.client, *TWO_LINES))
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert order.number == number(1)
    assert (order.status, order.currency, order.client) == (OrderStatus.DRAFT, "EUR", org.client)
    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal("57.48"),
        Decimal("3.75"),
        Decimal("53.73"),
    )
    assert list(order.lines.values_list("description", "quantity", "unit_price", "discount_percent", "line_total")) == [
        ("Bolts", Decimal("3"), Decimal("12.50"), Decimal("10"), Decimal("33.75")),
        ("Nuts", Decimal("2"), Decimal("9.99"), Decimal("0"), Decimal("19.98")),
    ]
    assert messages_of(response) == [f"Order {number(1)} created as a draft."]


@pytest.mark.parametrize(
    ("rows", "currency", "error"),
    [
        ((row("Bolts", "-1", "12.50"),), "EUR", "The quantity must be greater than zero."),
        ((row("Bolts", "0", "12.50"),), "EUR", "The quantity must be greater than zero."),
        ((row("Bolts", "1", "12.50", "150"),), "EUR", "Ensure this value is less than or equal to 100."),
        ((row("Bolts", "1", "-12.50"),), "EUR", "The unit price cannot be negative."),
        (TWO_LINES, "XYZ", "Select a valid choice. XYZ is not one of the available choices."),
        ((row(quantity="", discount=""), row(quantity="", discount="")), "EUR", "This field is required."),
        ((row(), row()), "EUR", "Choose a product or describe the item."),
        ((row("Bolts", "1", "2.00", delete=True),), "EUR", "Add at least one line."),
    ],
    ids=[
        "negative-quantity",
        "zero-quantity",
        "discount-150",
        "negative-price",
        "currency-xyz",
        "blank",
        "no-item",
        "all-deleted",
    ],
)
def test_create_with_bad_input_shows_the_error_and_creates_nothing(as_user, org, rows, currency, error):
    response = as_user(org.manager).post(create_url(org.client), create_data(org.client, *rows, currency=currency))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0


def test_create_with_a_contact_of_another_client_is_refused(as_user, org):
    stranger = ContactFactory(client=org.team_client)
    response = as_user(org.manager).post(
        create_url(org.client), create_data(org.client, *TWO_LINES, contact=str(stranger.pk))
    )
    assert response.status_code == 200
    assert "contact" in response.context["form"].errors
    assert Order.objects.count() == 0


def test_rejected_currency_rerenders_the_totals_in_the_default_currency(as_user, org):
    response = as_user(org.manager).post(create_url(org.client), create_data(org.client, *TWO_LINES, currency="KWD"))
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'Total</dt><dd class="grand">€53\.73</dd>', body)
    assert "KWD53" not in body
    assert Order.objects.count() == 0


def test_product_line_without_price_in_another_currency_is_refused(as_user, org):
    product = ProductFactory(name="Pump", currency="USD", default_price=Decimal("40.00"))
    response = as_user(org.manager).post(
        create_url(org.client), create_data(org.client, row(product=str(product.pk), quantity="2"))
    )
    assert response.status_code == 200
    assert "Enter the unit price." in response.content.decode()
    assert Order.objects.count() == 0


def test_product_line_without_price_takes_the_catalogue_price_in_the_same_currency(as_user, org):
    product = ProductFactory(name="Pump", unit="set", currency="EUR", default_price=Decimal("40.25"))
    response = as_user(org.manager).post(
        create_url(org.client), create_data(org.client, row(product=str(product.pk), quantity="2"))
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert list(order.lines.values_list("product", "description", "unit", "unit_price", "line_total")) == [
        (product.pk, "Pump", "set", Decimal("40.25"), Decimal("80.50"))
    ]
    assert order.total == Decimal("80.50")


def test_create_without_client_is_a_picker_of_clients_the_user_may_edit(as_user, org):
    response = as_user(org.manager).get(CREATE)
    assert response.status_code == 200
    assert [client.name for client in response.context["clients"]] == ["Own Client UAB"]  # not the teammate's


def test_client_picker_search_returns_only_the_choices_fragment(as_user, org):
    ClientFactory(name="Own Second UAB", account_manager=org.manager)
    ClientFactory(name="Another Thing UAB", account_manager=org.manager)
    response = as_user(org.lead).get(CREATE, {"q": "own"}, headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<ul class="pick-list" id="client-choices"')
    assert "<html" not in body
    assert [client.name for client in response.context["clients"]] == ["Own Client UAB", "Own Second UAB"]


@pytest.mark.parametrize("client_id", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_create_for_a_junk_client_id_is_404(as_user, org, client_id):
    assert as_user(org.manager).get(CREATE, {"client": client_id}).status_code == 404


def test_client_picker_with_a_junk_search_does_not_fail(as_user, org):
    response = as_user(org.manager).get(CREATE, {"q": "own\x00"}, headers=HTMX)
    assert response.status_code == 200


def test_client_picker_search_does_not_list_clients_the_user_may_only_see(as_user, org):
    response = as_user(org.manager).get(CREATE, {"q": "Client UAB"}, headers=HTMX)
    assert [client.name for client in response.context["clients"]] == ["Own Client UAB"]
    assert "Teammate Client UAB" not in response.content.decode()


# --- Lines editor ---------------------------------------------------------------------------------------------------


def test_lines_editor_replaces_the_lines_of_a_draft_and_updates_the_totals(as_user, org):
    order = own_order(org)
    data = lines_data(
        row("Bolts", "4", "12.50", "10"), row("Nuts", "2", "9.99", delete=True), row("Washers", "10", "0.35"), initial=2
    )
    response = as_user(org.manager).post(reverse("orders:lines", args=[order.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    order.refresh_from_db()
    assert list(order.lines.values_list("description", "quantity", "line_total")) == [
        ("Bolts", Decimal("4"), Decimal("45.00")),
        ("Washers", Decimal("10"), Decimal("3.50")),
    ]
    assert (order.subtotal, order.discount_total, order.total) == (Decimal("53.50"), Decimal("5.00"), Decimal("48.50"))
    assert messages_of(response) == ["Lines saved."]


def test_lines_editor_with_errors_rerenders_the_page_and_changes_nothing(as_user, org):
    order = own_order(org)
    before = snapshot(order)
    response = as_user(org.manager).post(
        reverse("orders:lines", args=[order.pk]), lines_data(row("Bolts", "0", "12.50"), initial=1)
    )
    assert response.status_code == 200
    assert "The quantity must be greater than zero." in response.content.decode()
    assert snapshot(order) == before


def test_lines_of_a_confirmed_order_cannot_be_changed(as_user, org):
    order = own_order(org, status=OrderStatus.CONFIRMED)
    before = snapshot(order)
    response = as_user(org.manager).post(
        reverse("orders:lines", args=[order.pk]), lines_data(row("Other", "1", "1.00"), initial=2)
    )
    assert response.status_code == 200
    assert "Lines and currency can only be changed while the order is a draft." in response.content.decode()
    assert snapshot(order) == before


def test_confirmed_order_page_shows_lines_as_a_table_without_editor(as_user, org):
    order = own_order(org, status=OrderStatus.CONFIRMED)
    body = as_user(org.manager).get(order.get_absolute_url()).content.decode()
    assert reverse("orders:lines", args=[order.pk]) not in body
    assert "€33.75" in body
    assert "€53.73" in body


def test_preview_returns_the_totals_and_each_line_total_out_of_band(as_user, org):
    response = as_user(org.manager).post(
        reverse("orders:preview"), {"currency": "EUR", **lines_data(*TWO_LINES, row("Typing…", "1"))}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<dl class="order-totals" id="order-totals"')
    assert "<html" not in body
    assert re.search(r"Subtotal</dt><dd>€57\.48</dd>", body)
    assert re.search(r"Discount</dt><dd>−€3\.75</dd>", body)
    assert re.search(r'Total</dt><dd class="grand">€53\.73</dd>', body)
    assert '<output id="total-lines-0" hx-swap-oob="true">€33.75</output>' in body
    assert '<output id="total-lines-1" hx-swap-oob="true">€19.98</output>' in body
    assert '<output id="total-lines-2" hx-swap-oob="true">—</output>' in body  # no price yet


def test_preview_without_lines_shows_zero_totals(as_user, org):
    response = as_user(org.manager).post(reverse("orders:preview"), {"currency": "EUR"})
    assert response.status_code == 200
    assert re.search(r'Total</dt><dd class="grand">€0\.00</dd>', response.content.decode())


def test_preview_in_an_unknown_currency_falls_back_to_the_default(as_user, org):
    response = as_user(org.manager).post(reverse("orders:preview"), {"currency": "XYZ", **lines_data(*TWO_LINES)})
    assert response.status_code == 200
    assert "€53.73" in response.content.decode()


def test_line_form_returns_the_row_and_raises_the_form_count_out_of_band(as_user, org):
    org.client.discount_percent = Decimal("7.50")
    org.client.save()
    response = as_user(org.manager).get(
        reverse("orders:line_form"), {"lines-TOTAL_FORMS": "3", "client": org.client.pk}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<tr class="line-row" id="row-lines-3"')
    assert 'name="lines-3-quantity"' in body
    assert re.search(r'name="lines-3-discount_percent"[^>]* value="7\.5"', body)
    assert (
        '<input type="hidden" name="lines-TOTAL_FORMS" value="4" id="id_lines-TOTAL_FORMS" hx-swap-oob="true">' in body
    )


@pytest.mark.parametrize("index", ["", "abc", "-1", "1.5", "200", "99999999999999999999"])
def test_line_form_with_a_bad_or_huge_index_is_a_bad_request(as_user, org, index):
    response = as_user(org.manager).get(reverse("orders:line_form"), {"lines-TOTAL_FORMS": index})
    assert response.status_code == 400


def test_edit_page_saves_the_header_and_the_history_shows_it(as_user, org):
    order = own_order(org, status=OrderStatus.CONFIRMED)
    c = as_user(org.manager)
    promised = today() + timedelta(days=30)
    response = c.post(
        reverse("orders:edit", args=[order.pk]),
        {"contact": "", "promised_on": promised.isoformat(), "notes": "Deliver to the back door", "currency": "USD"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.promised_on, order.notes, order.currency) == (promised, "Deliver to the back door", "EUR")
    body = c.get(order.get_absolute_url()).content.decode()
    assert "Deliver to the back door" in body
    assert "Promised delivery date" in body  # the history entry of the change


def test_edit_with_a_bad_date_rerenders_and_changes_nothing(as_user, org):
    order = own_order(org)
    before = snapshot(order)
    response = as_user(org.manager).post(
        reverse("orders:edit", args=[order.pk]),
        {"contact": "", "promised_on": "31.02.2030", "notes": "x", "currency": "EUR"},
    )
    assert response.status_code == 200
    assert "promised_on" in response.context["form"].errors
    assert snapshot(order) == before


# --- Status workflow ----------------------------------------------------------------------------------------------


def test_allowed_transitions_through_the_page_move_the_order_along(as_user, org):
    order = own_order(org)
    c = as_user(org.manager)
    url = reverse("orders:transition", args=[order.pk])
    for status in ["confirmed", "in_progress", "shipped", "delivered"]:
        response = c.post(url, {"status": status})
        assert response.status_code == 302
        assert response["Location"] == order.get_absolute_url()
        order.refresh_from_db()
        assert order.status == status
    assert messages_of(response)[-1] == f"Order {order.number} is now delivered."
    assert order.delivered_at is not None
    assert list(order.transitions.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "confirmed"),
        ("confirmed", "in_progress"),
        ("in_progress", "shipped"),
        ("shipped", "delivered"),
    ]


def test_confirming_an_order_without_a_promised_date_is_refused(as_user, org):
    c = as_user(org.manager)
    c.post(create_url(org.client), create_data(org.client, *TWO_LINES))
    order = Order.objects.get()
    before = snapshot(order)
    response = c.post(reverse("orders:transition", args=[order.pk]), {"status": "confirmed"})
    assert messages_of(response)[-1] == "Set the promised delivery date before confirming."
    assert snapshot(order) == before


def test_transition_by_get_is_not_allowed(as_user, org):
    order = own_order(org)
    assert as_user(org.manager).get(reverse("orders:transition", args=[order.pk])).status_code == 405
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_a_transition_the_workflow_does_not_allow_is_refused_with_a_message(as_user, org):
    order = own_order(org)
    before = snapshot(order)
    response = as_user(org.manager).post(reverse("orders:transition", args=[order.pk]), {"status": "delivered"})
    assert response.status_code == 302
    assert messages_of(response) == ["An order that is draft cannot become delivered."]
    assert snapshot(order) == before


@pytest.mark.parametrize("status", ["", "nonsense"])
def test_an_unknown_status_is_refused_and_changes_nothing(as_user, org, status):
    order = own_order(org)
    before = snapshot(order)
    response = as_user(org.manager).post(reverse("orders:transition", args=[order.pk]), {"status": status})
    assert response.status_code == 302
    assert snapshot(order) == before


def test_cancel_without_a_reason_is_refused(as_user, org):
    order = own_order(org, status=OrderStatus.CONFIRMED)
    before = snapshot(order)
    response = as_user(org.manager).post(
        reverse("orders:transition", args=[order.pk]), {"status": "cancelled", "reason": "   "}
    )
    assert messages_of(response) == ["Give a reason for cancelling the order."]
    assert snapshot(order) == before


def test_cancel_with_a_reason_stores_it_and_shows_it(as_user, org):
    order = own_order(org, status=OrderStatus.CONFIRMED)
    c = as_user(org.manager)
    c.post(reverse("orders:transition", args=[order.pk]), {"status": "cancelled", "reason": "Client changed plans"})
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "Client changed plans")
    assert order.transitions.last().reason == "Client changed plans"
    body = c.get(order.get_absolute_url()).content.decode()
    assert "Client changed plans" in body
    assert 'id="order-actions"' not in body


def test_delivered_on_time_order_page_has_no_actions_and_says_on_time(as_user, org):
    order = own_order(org, status=OrderStatus.DELIVERED)
    body = as_user(org.manager).get(order.get_absolute_url()).content.decode()
    assert 'id="order-actions"' not in body
    assert "data-transition" not in body
    assert reverse("orders:edit", args=[order.pk]) not in body
    assert '<span class="badge badge-on-time">on time</span>' in body
    assert "badge-late" not in body


def test_delivered_late_order_page_says_late(as_user, org):
    order = own_order(org, status=OrderStatus.SHIPPED, promised_on=today() - timedelta(days=3))
    transition_order(actor=org.manager, order=order, to_status=OrderStatus.DELIVERED)
    body = as_user(org.manager).get(order.get_absolute_url()).content.decode()
    assert '<span class="badge badge-late">late</span>' in body
    assert "badge-on-time" not in body
    assert 'id="order-actions"' not in body


# --- Attachments -------------------------------------------------------------------------------------------------


def test_uploaded_pdf_is_kept_and_downloads_as_an_attachment(as_user, org, media):
    order = own_order(org)
    c = as_user(org.manager)
    response = c.post(
        reverse("orders:attachment_upload", args=[order.pk]), {"kind": "invoice", "file": pdf("Invoice 7.pdf")}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{order.get_absolute_url()}#attachments"
    assert messages_of(response) == ["Document attached."]
    attachment = order.attachments.get()
    assert (attachment.kind, attachment.original_name, attachment.content_type, attachment.size) == (
        "invoice",
        "Invoice 7.pdf",
        "application/pdf",
        len(PDF),
    )
    assert len(stored_files(media)) == 1
    download = c.get(reverse("orders:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="Invoice 7.pdf"'
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert "Invoice 7.pdf" in c.get(order.get_absolute_url()).content.decode()


def test_teammate_may_download_a_document_of_an_order_they_can_see(as_user, org):
    order = with_attachment(org, own_order(org))
    response = as_user(org.teammate).get(reverse("orders:attachment_download", args=[order.attachments.get().pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_outsider_cannot_download_a_document(as_user, org):
    order = with_attachment(org, own_order(org))
    response = as_user(org.outsider).get(reverse("orders:attachment_download", args=[order.attachments.get().pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "claimed"),
    [("setup.exe", EXE, "application/octet-stream"), ("invoice.pdf", HTML, "application/pdf")],
    ids=["exe", "html-as-pdf"],
)
def test_disallowed_file_is_refused_with_a_message_and_nothing_is_stored(as_user, org, media, name, content, claimed):
    order = own_order(org)
    response = as_user(org.manager).post(
        reverse("orders:attachment_upload", args=[order.pk]), {"kind": "invoice", "file": pdf(name, content, claimed)}
    )
    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.startswith(REFUSED)
    assert OrderAttachment.objects.count() == 0
    assert stored_files(media) == []


def test_too_big_file_is_refused_with_a_message_and_nothing_is_stored(as_user, org, media, settings):
    settings.ORDER_ATTACHMENT_MAX_BYTES = 50
    order = own_order(org)
    response = as_user(org.manager).post(
        reverse("orders:attachment_upload", args=[order.pk]), {"kind": "invoice", "file": pdf()}
    )
    assert messages_of(response) == [f"The file is too big ({len(PDF)}\xa0bytes). The limit is 50\xa0bytes."]
    assert OrderAttachment.objects.count() == 0
    assert stored_files(media) == []


def test_download_keeps_a_non_ascii_file_name(as_user, org):
    order = own_order(org)
    add_attachment(actor=org.manager, order=order, uploaded=pdf('Sąskaita "7".pdf'), kind="invoice")
    response = as_user(org.manager).get(reverse("orders:attachment_download", args=[order.attachments.get().pk]))
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''S%C4%85skaita%20%227%22.pdf"


def test_upload_without_a_file_is_refused_with_a_message(as_user, org, media):
    order = own_order(org)
    response = as_user(org.manager).post(reverse("orders:attachment_upload", args=[order.pk]), {"kind": "invoice"})
    assert messages_of(response) == ["This field is required."]
    assert OrderAttachment.objects.count() == 0


def test_download_of_an_unknown_document_is_404(as_user, org):
    assert as_user(org.manager).get(reverse("orders:attachment_download", args=[999])).status_code == 404


def test_owner_removes_a_document_and_its_file(as_user, org, media, django_capture_on_commit_callbacks):
    order = with_attachment(org, own_order(org))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(org.manager).post(reverse("orders:attachment_delete", args=[order.attachments.get().pk]))
    assert response.status_code == 302
    assert OrderAttachment.objects.count() == 0
    assert stored_files(media) == []


# --- Order list ---------------------------------------------------------------------------------------------------


def numbers(response) -> list[str]:
    return [order.number for order in response.context["page"].object_list]


@pytest.fixture
def orders(org):
    """Five orders of the North team: 1 draft, 2 confirmed overdue, 3 shipped, 4 delivered late, 5 teammate's."""
    past = today() - timedelta(days=2)
    result = [
        make_order(actor=org.manager, client=org.client, lines=[line("A", "1", "30.00")], promised_on=past),
        make_order(
            actor=org.manager, client=org.client, lines=[line("B", "1", "10.00")], status="confirmed", promised_on=past
        ),
        make_order(actor=org.manager, client=org.client, lines=[line("C", "1", "50.00")], status="shipped"),
        make_order(
            actor=org.manager, client=org.client, lines=[line("D", "1", "20.00")], status="shipped", promised_on=past
        ),
        make_order(actor=org.teammate, client=org.team_client, lines=[line("E", "1", "40.00")], status="confirmed"),
    ]
    transition_order(actor=org.manager, order=result[3], to_status="delivered")
    for days, order in zip([10, 8, 6, 4, 2], result, strict=True):
        set_created(order, today() - timedelta(days=days))
    return result


def test_list_is_newest_first(as_user, org, orders):
    assert numbers(as_user(org.lead).get(LIST)) == [number(5), number(4), number(3), number(2), number(1)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "shipped"}, [3]),
        ({"status": "confirmed"}, [5, 2]),
        ({"overdue": "on"}, [2]),
        ({"manager": "teammate"}, [5]),
        ({"client": "team_client"}, [5]),
        ({"ordered_from": -6}, [5, 4, 3]),
        ({"ordered_to": -8}, [2, 1]),
        ({"ordered_from": -8, "ordered_to": -4}, [4, 3, 2]),
        ({"q": "000003"}, [3]),
        ({"q": "teammate client"}, [5]),
        ({"sort": "total"}, [2, 4, 1, 5, 3]),
        ({"sort": "-total"}, [3, 5, 1, 4, 2]),
        ({"sort": "number"}, [1, 2, 3, 4, 5]),
        ({"sort": "-number"}, [5, 4, 3, 2, 1]),
        ({"sort": "promised"}, [4, 2, 1, 5, 3]),  # same dates: newest first
        ({"sort": "-promised"}, [5, 3, 4, 2, 1]),
    ],
)
def test_list_filters_and_sorts(as_user, org, orders, params, expected):
    query = {}
    for key, value in params.items():
        if key in ("ordered_from", "ordered_to"):
            value = (today() + timedelta(days=value)).isoformat()
        elif key in ("manager", "client"):
            value = getattr(org, value).pk
        query[key] = value
    response = as_user(org.lead).get(LIST, query)
    assert response.status_code == 200
    assert numbers(response) == [number(n) for n in expected]


@pytest.mark.parametrize("sort", ["promised", "-promised"])
def test_list_sorted_by_promised_date_puts_orders_without_one_last_on_every_database(as_user, org, orders, sort):
    Order.objects.filter(pk__in=[orders[0].pk, orders[2].pk]).update(promised_on=None)
    assert numbers(as_user(org.lead).get(LIST, {"sort": sort}))[-2:] == [number(3), number(1)]


def test_list_filtered_by_client_shows_the_client_as_a_chip(as_user, org, orders):
    response = as_user(org.manager).get(LIST, {"client": org.client.pk})
    body = response.content.decode()
    assert response.context["filtered_client"] == org.client
    assert f'<a href="{org.client.get_absolute_url()}">Own Client UAB</a>' in body
    assert f'href="{CREATE}?client={org.client.pk}"' in body


def test_list_filtered_by_a_client_the_user_cannot_see_is_404(as_user, org, orders):
    assert as_user(org.outsider).get(LIST, {"client": org.client.pk}).status_code == 404


def test_list_htmx_returns_only_the_order_table(as_user, org, orders):
    response = as_user(org.manager).get(LIST, {"status": "shipped"}, headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="order-table"')
    assert "<html" not in body
    assert 'class="filters' not in body
    assert number(3) in body
    assert number(1) not in body


def test_list_paginates(as_user, org, orders, settings):
    settings.ORDERS_PAGE_SIZE = 2
    c = as_user(org.lead)
    assert numbers(c.get(LIST, {"page": 2})) == [number(3), number(2)]
    assert numbers(c.get(LIST, {"page": 3})) == [number(1)]
    body = c.get(LIST, {"page": 2, "status": ""}).content.decode()
    assert "page=3" in body


@pytest.mark.parametrize("page", ["999", "abc", "0", "-1", ""])
def test_list_with_an_out_of_range_or_junk_page_does_not_fail(as_user, org, orders, settings, page):
    settings.ORDERS_PAGE_SIZE = 2
    response = as_user(org.lead).get(LIST, {"page": page})
    assert response.status_code == 200
    assert len(numbers(response)) in (1, 2)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "gold"},
        {"manager": "abc"},
        {"client": "abc"},
        {"ordered_from": "not a date"},
        {"sort": "nonsense"},
        {"overdue": "maybe"},
        {"client": "1.5"},
        {"client": "99999999999999999999999"},
        {"manager": "99999999999999999999999"},
        {"ordered_from": "99999-01-01"},
        {"q": "\x00"},
        {"page": "99999999999999999999999"},
    ],
)
def test_list_with_bad_filter_values_does_not_fail(as_user, org, orders, params):
    assert as_user(org.lead).get(LIST, params).status_code == 200


def test_list_marks_overdue_orders(as_user, org, orders):
    body = as_user(org.manager).get(LIST).content.decode()
    assert body.count('class="badge badge-overdue"') == 1
    assert body.count('class="row-overdue"') == 1


# --- Query counts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_order_list_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    for index in range(rows):
        client = org.client if index % 2 else org.team_client
        make_order(actor=org.lead, client=client, lines=[line("A", "1", "1.00"), line("B", "2", "2.00")])
    c = as_user(org.lead)
    with django_assert_max_num_queries(8):
        response = c.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [2, 20])
def test_order_page_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    products = [ProductFactory() for _ in range(3)]
    lines = [line(f"Line {i}", "1", "1.00", product=products[i % 3]) for i in range(rows)]
    order = make_order(actor=org.manager, client=org.client, lines=lines, status=OrderStatus.SHIPPED)
    for _ in range(rows // 2):
        with_attachment(org, order)
    c = as_user(org.manager)
    with django_assert_max_num_queries(11):
        response = c.get(order.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>Line ") == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_draft_order_page_with_the_editor_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    products = [ProductFactory() for _ in range(3)]
    lines = [line(f"Line {i}", "1", "1.00", product=products[i % 3]) for i in range(rows)]
    order = make_order(actor=org.manager, client=org.client, lines=lines)
    c = as_user(org.manager)
    with django_assert_max_num_queries(13):
        response = c.get(order.get_absolute_url())
    assert response.status_code == 200
    assert f'name="lines-{rows - 1}-description"' in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_client_page_with_orders_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    for index in range(rows):
        status = [OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.DELIVERED][index % 3]
        make_order(actor=org.manager, client=org.client, status=status, lines=[line("A", "1", "1.00")])
    c = as_user(org.manager)
    with django_assert_max_num_queries(27):  # +1: the segment badges (segments.membership), +1: open survey links
        response = c.get(reverse("clients:detail", args=[org.client.pk]))
    assert response.status_code == 200
    assert len(re.findall(r'<div class="order-row(?: order-row-overdue)?">', response.content.decode())) == min(rows, 5)


# --- Overdue flags ------------------------------------------------------------------------------------------------


def overdue_order(org) -> Order:
    return own_order(org, status=OrderStatus.IN_PROGRESS, promised_on=today() - timedelta(days=1))


def test_overdue_order_is_flagged_in_the_list_on_its_page_and_on_the_client_page(as_user, org):
    order = overdue_order(org)
    own_order(org, status=OrderStatus.CONFIRMED)  # promised next week: not overdue
    c = as_user(org.manager)
    badge = '<span class="badge badge-overdue"'
    assert c.get(LIST).content.decode().count(badge) == 1
    assert c.get(order.get_absolute_url()).content.decode().count(badge) == 1
    client_page = c.get(org.client.get_absolute_url()).content.decode()
    section = client_page[client_page.index('id="client-orders"') :]
    section = section[: section.index("</section>")]
    assert section.count(badge) == 1
    assert section.count("order-row-overdue") == 1


def test_overdue_list_filter_takes_confirmed_in_progress_and_shipped_only(as_user, org):
    past = today() - timedelta(days=1)
    late = [own_order(org, status=status, promised_on=past) for status in ("confirmed", "in_progress", "shipped")]
    own_order(org, promised_on=past)  # a draft is no promise yet
    own_order(org, status="cancelled", promised_on=past)
    own_order(org, status="confirmed", promised_on=today())  # due today is not late
    response = as_user(org.manager).get(LIST, {"overdue": "on"})
    assert sorted(numbers(response)) == sorted(order.number for order in late)


# --- Client page: key figures, timeline, header search ---------------------------------------------------------------


def figures_of(body: str) -> str:
    start = body.index('id="client-figures"')
    return body[start : body.index("</dl>", start)]


def test_client_key_figures_show_revenue_delivered_in_the_last_12_months(as_user, org):
    own_order(org, status=OrderStatus.DELIVERED)
    own_order(org, status=OrderStatus.SHIPPED)  # not delivered: no revenue yet
    figures = figures_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert re.search(r'Revenue, 12 months</dt>\s*<dd><span class="nowrap">€53\.73</span></dd>', figures)


def test_client_key_figures_show_a_dash_without_revenue(as_user, org):
    own_order(org, status=OrderStatus.SHIPPED)
    figures = figures_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert re.search(r"Revenue, 12 months</dt>\s*<dd>—</dd>", figures)


def test_timeline_shows_orders_and_the_orders_chip_keeps_only_them(as_user, org):
    order = own_order(org)
    InteractionFactory(client=org.client, kind="call", subject="The call")
    c = as_user(org.manager)
    url = reverse("interactions:timeline", args=[org.client.pk])
    everything = c.get(url, headers=HTMX).content.decode()
    assert everything.count('class="entry ') == 2
    assert f'id="order-entry-{order.pk}"' in everything
    assert f'href="{url}?kind=orders"' in everything  # the chip
    only_orders = c.get(url, {"kind": "orders"}, headers=HTMX).content.decode()
    assert only_orders.count('class="entry ') == 1
    assert f'id="order-entry-{order.pk}"' in only_orders
    assert "The call" not in only_orders
    assert "€53.73" in only_orders


def test_client_page_timeline_lists_the_order(as_user, org):
    order = own_order(org)
    body = as_user(org.manager).get(org.client.get_absolute_url()).content.decode()
    assert f'id="order-entry-{order.pk}"' in body


@pytest.mark.parametrize(("who", "found"), [("manager", True), ("teammate", True), ("outsider", False)])
def test_header_search_finds_an_order_by_number_within_visibility(as_user, org, who, found):
    order = own_order(org)
    response = as_user(getattr(org, who)).get(reverse("search"), {"q": "000001"}, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert (order.number in body) is found
    assert (order.get_absolute_url() in body) is found


# --- Language -------------------------------------------------------------------------------------------------------


def test_order_page_in_lithuanian_writes_money_the_lithuanian_way(as_user, org):
    org.manager.language = "lt"
    org.manager.save()
    order = own_order(org, status=OrderStatus.CONFIRMED)
    response = as_user(org.manager).get(order.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"53,73[\u00a0\u202f ]€", body)
    assert "€53.73" not in body


def test_create_page_in_lithuanian_keeps_dots_in_number_inputs(as_user, org):
    org.manager.language = "lt"
    org.manager.save()
    org.client.discount_percent = Decimal("7.50")
    org.client.save()
    response = as_user(org.manager).get(create_url(org.client))
    assert response.status_code == 200
    # type="number" inputs take a dot in every language; the browser shows it the local way
    assert re.search(r'name="lines-0-discount_percent"[^>]* value="7\.5"', response.content.decode())
