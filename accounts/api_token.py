"""The API's token endpoint: DRF's, with the web sign-in's rules (throttling, the second factor).

A token opens the whole API, so it is no way around two-factor sign-in: a user with an authenticator key sends
its current code as `otp_token`, and wrong codes count towards the lockout like wrong passwords.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError

from . import lockout, selectors, services


class TokenRequestSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        label=_("Two-factor code"),
        help_text=_("The current code of the authenticator app, for users who sign in with two-factor authentication."),
        required=False,
        allow_blank=True,
        max_length=16,
        write_only=True,
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)  # the password, through django-axes
        user = attrs["user"]
        if not selectors.has_two_factor(user):
            if settings.REQUIRE_ADMIN_2FA and user.is_admin:
                raise ValidationError(_("Set up two-factor sign-in on your profile page first."), code="authorization")
            return attrs
        if services.verify_second_factor(user=user, code=attrs.get("otp_token", "")) is None:
            lockout.record_failed_code(self.context["request"], username=user.email)
            raise ValidationError(
                _("Send the current code of your authenticator app as otp_token."), code="authorization"
            )
        return attrs


@extend_schema(
    responses={
        200: inline_serializer("AuthToken", {"token": serializers.CharField()}),
        400: OpenApiResponse(description=_("Wrong e-mail, password or two-factor code.")),
        429: OpenApiResponse(
            inline_serializer("LockedOut", {"detail": serializers.CharField()}),
            description=_("Too many failed attempts from this address: wait, then try again."),
        ),
    }
)
class ObtainTokenView(ObtainAuthToken):
    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks DRF's request when this try locked the pair out or it already was locked out;
            # AxesMiddleware only sees Django's request, so the 429 is answered here.
            if getattr(request, "axes_locked_out", False):
                return lockout.lockout_response(request)
            raise


obtain_auth_token = ObtainTokenView.as_view()
