"""The signed-in user's time zone lives for their request only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import ManagerFactory

pytestmark = pytest.mark.django_db


def test_a_users_time_zone_is_dropped_after_their_request(client, settings):
    client.force_login(ManagerFactory(time_zone="Asia/Tokyo"))
    response = client.get(reverse("interactions:my_day"))
    assert response.status_code == 200
    assert response.context["TIME_ZONE"] == "Asia/Tokyo"
    # The thread's next request may be anyone's, e.g. an anonymous login page: back on the site's zone.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    client.logout()
    response = client.get(reverse("accounts:login"))
    assert response.context["TIME_ZONE"] == settings.TIME_ZONE
