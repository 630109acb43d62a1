import factory

from segments.models import Segment


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    colour = "#1d4ed8"
    rules = factory.LazyFunction(lambda: {"op": "and", "rules": []})
