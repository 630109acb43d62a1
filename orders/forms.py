"""Order forms: the header, the lines formset (the lines editor), status changes and uploads."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.money import allowed_currencies, currency_choices, plain_decimal

from .models import AttachmentKind, Order, Product
from .services.attachments import allowed_extensions
from .services.pricing import LineData


class OrderForm(forms.ModelForm):
    """The order's header; currency only while the order is a draft."""

    currency = forms.ChoiceField(label=_("currency"), choices=())

    class Meta:
        model = Order
        fields = ["contact", "currency", "promised_on", "notes"]
        widgets = {
            "promised_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = client.contacts.order_by("full_name")
        self.fields["contact"].empty_label = _("No contact")
        self.fields["currency"].choices = currency_choices()
        self.fields["currency"].initial = allowed_currencies()[0]
        if self.instance.pk and not self.instance.is_editable:
            del self.fields["currency"]


class ProductSelect(forms.Select):
    """Options carry the product's unit and price, so choosing one fills the line at once."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        product = getattr(value, "instance", None)
        if product is not None:
            option["attrs"].update(
                {
                    "data-name": product.name,
                    "data-unit": product.unit,
                    "data-price": f"{plain_decimal(product.default_price):f}",
                    "data-currency": product.currency,
                }
            )
        return option


class OrderLineForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("product"), queryset=Product.objects.none(), required=False, widget=ProductSelect
    )
    description = forms.CharField(label=_("description"), max_length=255, required=False)
    quantity = forms.DecimalField(
        label=_("quantity"),
        max_digits=12,
        decimal_places=3,
        initial=Decimal(1),
        min_value=Decimal("0.001"),
        error_messages={"min_value": _("The quantity must be greater than zero.")},
    )
    unit = forms.CharField(label=_("unit"), max_length=20, required=False)
    unit_price = forms.DecimalField(
        label=_("unit price"),
        max_digits=14,
        decimal_places=4,
        min_value=Decimal(0),
        required=False,
        error_messages={"min_value": _("The unit price cannot be negative.")},
    )
    discount_percent = forms.DecimalField(
        label=_("discount %"), max_digits=5, decimal_places=2, min_value=Decimal(0), max_value=Decimal(100)
    )

    def __init__(self, *args, products=None, product_choices=None, default_discount=Decimal(0), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products if products is not None else Product.objects.none()
        self.fields["product"].empty_label = _("Free text")
        if product_choices is not None:  # read once for all the rows (the queryset still validates)
            self.fields["product"].choices = product_choices
        self.fields["discount_percent"].initial = plain_decimal(Decimal(default_discount))
        for name in ("quantity", "unit_price", "discount_percent"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "class": "num"})
        self.fields["description"].widget.attrs["placeholder"] = _("Item or service")

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("product") and not (data.get("description") or "").strip():
            self.add_error("description", _("Choose a product or describe the item."))
        return data

    def to_line(self, currency: str) -> LineData:
        """The line as the services take it; an empty price of a product is its catalogue price."""
        data = self.cleaned_data
        product, price = data.get("product"), data.get("unit_price")
        if price is None:
            if product is not None and product.currency == currency:
                price = product.default_price
            else:
                raise forms.ValidationError(_("Enter the unit price."))
        return LineData(
            product=product,
            description=data.get("description", ""),
            quantity=data["quantity"],
            unit=data.get("unit", ""),
            unit_price=price,
            discount_percent=data["discount_percent"],
        )


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self, currency: str) -> list[LineData] | None:
        """The kept lines in order, or None (with errors on the forms) when a line lacks its price."""
        lines = []
        for form in self.forms:
            if not form.has_changed() and form.empty_permitted:
                continue  # a blank row added and left empty
            if self.can_delete and self._should_delete_form(form):
                continue
            try:
                lines.append(form.to_line(currency))
            except forms.ValidationError as error:
                form.add_error("unit_price", error)
                return None
        if not lines:
            self._non_form_errors = self.error_class([_("Add at least one line.")])
            return None
        return lines


LineFormSet = forms.formset_factory(
    OrderLineForm, formset=BaseLineFormSet, extra=0, min_num=1, validate_min=False, can_delete=True, max_num=200
)


def line_formset(data=None, *, products, default_discount, initial=None) -> BaseLineFormSet:
    # Each row's product select would read the catalogue again: one query per line.
    product_choices = list(OrderLineForm(products=products).fields["product"].choices)
    return LineFormSet(
        data,
        initial=initial,
        prefix="lines",
        form_kwargs={"products": products, "product_choices": product_choices, "default_discount": default_discount},
    )


def new_line_form(index: int, *, products, default_discount) -> OrderLineForm:
    """An empty row at position `index` of the "lines" formset, as the editor's "Add line" adds it."""
    formset = line_formset(products=products, default_discount=default_discount)
    form = formset.form(
        prefix=formset.add_prefix(index),
        empty_permitted=True,  # left blank, the row is simply not a line
        use_required_attribute=False,
        **formset.get_form_kwargs(index),
    )
    formset.add_fields(form, index)  # the row's DELETE box
    return form


def line_initial(order: Order) -> list[dict]:
    return [
        {
            "product": line.product_id,
            "description": line.description,
            "quantity": plain_decimal(line.quantity),
            "unit": line.unit,
            "unit_price": plain_decimal(line.unit_price),
            "discount_percent": plain_decimal(line.discount_percent),
        }
        for line in order.lines.all()
    ]


class TransitionForm(forms.Form):
    status = forms.CharField()
    reason = forms.CharField(label=_("reason"), required=False, max_length=2000)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("document"), choices=AttachmentKind.choices, initial=AttachmentKind.CONTRACT)
    file = forms.FileField(label=_("file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in allowed_extensions())
