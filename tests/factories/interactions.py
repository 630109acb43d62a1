import datetime

import factory
from django.utils import timezone

from interactions.models import FollowUp, Interaction, InteractionStatus, Kind, Notification


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    client = factory.SubFactory("tests.factories.clients.ClientFactory")
    kind = Kind.CALL
    status = InteractionStatus.COMPLETED
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    subject = factory.Sequence(lambda n: f"Interaction {n}")
    logged_by = factory.LazyAttribute(lambda o: o.client.account_manager)

    @factory.post_generation
    def contacts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.contacts.set(extracted)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    client = factory.SubFactory("tests.factories.clients.ClientFactory")
    title = factory.Sequence(lambda n: f"Follow-up {n}")
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    assignee = factory.LazyAttribute(lambda o: o.client.account_manager)
    created_by = factory.LazyAttribute(lambda o: o.assignee)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory("tests.factories.accounts.ManagerFactory")
    key = factory.Sequence(lambda n: f"test:{n}")
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = ""
    url = ""
