"""DRF token authentication that also applies the user's language and time zone.

The preferences middleware runs before DRF authenticates a token, so API clients
would otherwise get messages and times in the site defaults.
"""

from rest_framework.authentication import TokenAuthentication

from .middleware import activate_user_preferences


class PreferencesTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_user_preferences(request._request, result[0])
        return result
