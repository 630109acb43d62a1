"""DRF token authentication that also applies the user's language and time zone.

The preferences middleware runs before DRF authenticates a token, so API clients
would otherwise get messages and times in the site defaults.
"""

import zoneinfo

from django.utils import timezone, translation
from rest_framework.authentication import TokenAuthentication


class PreferencesTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            translation.activate(user.language)
            request._request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        return result
