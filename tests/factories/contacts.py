import factory

from contacts.models import Contact


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory("tests.factories.clients.ClientFactory")
    full_name = factory.Faker("name")
    position = "Buyer"
    email = factory.Sequence(lambda n: f"contact{n}@client.example")
    phone = factory.Sequence(lambda n: f"+3706{n:07d}")
