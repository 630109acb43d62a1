import factory

from clients.models import Client, Status, Tag, Tier


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n:04d} UAB")
    registration_code = factory.Sequence(lambda n: f"30{n:07d}")
    tier = Tier.STANDARD
    status = Status.ACTIVE
    country = "LT"
    city = "Vilnius"
    account_manager = None
