import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from core.exceptions import ApplicationError
from core.forms import apply_application_error

from . import lockout, selectors, services
from .forms import CodeForm, ConfirmPasswordForm, LanguageForm, ProfileForm
from .models import User

# Between a right password and the code, the session remembers who is signing in (not signed in yet) this long.
PENDING_SIGN_IN = "accounts.pending_sign_in"
PENDING_SECONDS = 300


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return HttpResponseRedirect(request.path)
    context = {"form": form, "two_factor": selectors.has_two_factor(request.user)}
    return render(request, "accounts/profile.html", context)


# --- Signing in: the password, then a code when the user has two-factor sign-in -----------------------------------


class SignInView(auth_views.LoginView):
    """Django's sign-in page; for a user with an authenticator key, a right password leads to the code step."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not selectors.has_two_factor(user):
            return super().form_valid(form)
        # Not signed in yet: no session of the user exists until the code is right.
        self.request.session[PENDING_SIGN_IN] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("accounts:login_code")


def _pending_sign_in(request) -> tuple[User, dict] | None:
    pending = request.session.get(PENDING_SIGN_IN)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


@never_cache
def login_code(request):
    """The sign-in's second step. Wrong codes count towards the lockout like wrong passwords."""
    pending = _pending_sign_in(request)
    if pending is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    user, state = pending
    if lockout.is_locked_out(request, username=user.email):
        return lockout.lockout_response(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_second_factor(user=user, code=form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING_SIGN_IN]
            user.otp_device = device  # django-otp marks the new session as verified with it
            auth_login(request, user, backend=state["backend"])
            return HttpResponseRedirect(state["next"])
        if lockout.record_failed_code(request, username=user.email):
            return lockout.lockout_response(request)
        form.add_error("code", _("That code is not right. Enter the 6 digits your app shows now for this account."))
    return render(request, "accounts/login_code.html", {"form": form}, status=400 if form.errors else 200)


def admin_login(request):
    """The Django admin's own sign-in page would skip the second factor: the site's sign-in page serves it."""
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


# --- Two-factor set-up and removal (profile page) -----------------------------------------------------------------


def _qr_code_svg(uri: str) -> str:
    # Drawn here as inline SVG: the secret never goes to a QR code service, and no image request is made.
    return mark_safe(segno.make(uri, error="m").svg_inline(scale=5, dark="#111827", light="#ffffff", border=2))  # noqa: S308


@login_required
def two_factor_setup(request):
    """Show a new key as a QR code and as text; a code from the app switches two-factor sign-in on."""
    device = services.start_two_factor_setup(user=request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.confirm_two_factor(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            apply_application_error(form, error)
        else:
            otp_login(request, device)  # this session has just proven the second factor
            messages.success(request, _("Two-factor sign-in is on: from now on, signing in asks for a code."))
            return redirect("accounts:profile")
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_code": _qr_code_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "replacing": selectors.has_two_factor(request.user),
        "required": settings.REQUIRE_ADMIN_2FA and request.user.is_admin,
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if form.errors else 200)


@login_required
def two_factor_remove(request):
    """Switch two-factor sign-in off after the password (a wrong one counts towards the lockout)."""
    if settings.REQUIRE_ADMIN_2FA and request.user.is_admin:
        messages.error(request, _("Administrators must keep two-factor sign-in. You can move it to a new phone."))
        return redirect("accounts:profile")
    form = ConfirmPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        if authenticate(request, username=request.user.email, password=password) is None:
            form.add_error("password", _("That is not your password."))
        else:
            services.remove_two_factor(user=request.user)
            messages.success(request, _("Two-factor sign-in is off: signing in asks for your password only."))
            return redirect("accounts:profile")
    return render(request, "accounts/two_factor_remove.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def set_language(request):
    """Header language switcher: saved on the profile when signed in, else in a cookie."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.set_language(user=request.user, language=language)
        from django.conf import settings

        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response
