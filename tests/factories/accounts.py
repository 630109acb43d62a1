import factory

from accounts.models import Role, Team, User

PASSWORD = "correct-horse-42"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    role = Role.MANAGER
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class TeamLeadFactory(UserFactory):
    role = Role.TEAM_LEAD


class AdminFactory(UserFactory):
    role = Role.ADMIN
