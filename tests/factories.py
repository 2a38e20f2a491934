"""factory_boy factories for test data.

Reference rows (emotions, channels, touchpoints) come from the reference data
loaded by the `reference` fixture; these factories look them up by code.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from interactions import models

# When a factory customer with an archetype was classified: before any test's dates.
CLASSIFIED_AT = datetime.datetime(2000, 1, 3, tzinfo=datetime.UTC)


def emotion(code: str) -> models.Emotion:
    return models.Emotion.objects.get(code=code)


def channel(code: str) -> models.Channel:
    return models.Channel.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()  # keeps the password set above
        if extracted:
            from interactions.roles import assign_role

            assign_role(self, extracted)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Customer

    name = factory.Faker("name", locale="ko_KR")
    phone = factory.Sequence(lambda n: f"010-{1000 + n % 9000:04d}-{(n * 7) % 10000:04d}")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A customer made with an archetype got it as the app gives one: by a change in
        their history (dated long before any test's dates), counted for the board."""
        from interactions import rollups

        customer = super()._create(model_class, *args, **kwargs)
        if customer.archetype:
            change = models.ArchetypeChange.objects.create(
                customer=customer,
                archetype=customer.archetype,
                previous=None,
                source=customer.archetype_source or "suggested",
                changed_at=CLASSIFIED_AT,
            )
            rollups.add_changes(models.ArchetypeChange.objects.filter(pk=change.pk))
        return customer


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Interaction

    customer = factory.SubFactory(CustomerFactory)
    agent = factory.SubFactory(UserFactory, role="agent")
    occurred_at = factory.LazyFunction(timezone.now)
    channel = factory.LazyFunction(lambda: channel("phone"))
    emotion_start = factory.LazyFunction(lambda: emotion("annoyance"))
    emotion_end = factory.LazyFunction(lambda: emotion("neutral"))
    intensity = 3
    summary = "Delivery arrived late"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the services save it: counted into the dashboard's rollups."""
        from interactions import rollups

        interaction = super()._create(model_class, *args, **kwargs)
        rollups.add_one(interaction.pk)
        return interaction


class ArchetypeChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ArchetypeChange

    customer = factory.SubFactory(CustomerFactory)
    source = "suggested"
    changed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the services save it: counted into the board's changes per day."""
        from interactions import rollups

        change = super()._create(model_class, *args, **kwargs)
        rollups.add_changes(models.ArchetypeChange.objects.filter(pk=change.pk))
        return change


class ResponseTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ResponseTemplate

    title = factory.Sequence(lambda n: f"Template {n}")
    text = "Dear {customer_name}, we are sorry."
    language = "en"


def group(name: str) -> Group:
    return Group.objects.get(name=name)
