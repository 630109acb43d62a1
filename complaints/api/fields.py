"""Serializer fields shared by the complaint API: named enums for the schema, related ids the user may see."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers

from contacts.selectors import contacts_visible_to
from orders.selectors import orders_visible_to

from ..models import ComplaintStatus


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose enum is one named schema component, however many fields use it.

    Left to itself drf-spectacular names an enum after the field ("status", "kind"), and the complaint's statuses or
    kinds would collide with the orders' and interactions' ones under hashed names.
    """

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        name = self.target.enum_name
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        auto_schema.registry.register_on_missing(component)
        return component.ref


def complaint_status_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(choices=ComplaintStatus.choices, enum_name="ComplaintStatusEnum", **kwargs)


class VisibleContactField(serializers.PrimaryKeyRelatedField):
    """A contact id among the contacts the user may see; whether it belongs to the client is the service's rule."""

    def get_queryset(self):
        return contacts_visible_to(self.context["request"].user)


class VisibleOrderField(serializers.PrimaryKeyRelatedField):
    """An order id among the orders the user may see; whether it belongs to the client is the service's rule."""

    def get_queryset(self):
        return orders_visible_to(self.context["request"].user)
