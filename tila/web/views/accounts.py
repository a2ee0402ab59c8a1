"""Sign up, verify the email address, sign in and out, reset the password, edit the profile."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tila.accounts.models import User
from tila.accounts.services import (
    email_verify,
    password_reset_confirm,
    password_reset_request,
    password_reset_user,
    profile_update,
    user_authenticate,
    user_register,
)
from tila.core.errors import DomainError
from tila.web.forms import PasswordResetRequestForm, ProfileForm, SetPasswordForm, SignInForm, SignUpForm
from tila.web.mail import send_password_reset_email, send_verification_email
from tila.web.views.common import in_language, resident_required, safe_next, set_language_cookie

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _signed_in_redirect(request: HttpRequest, user: User) -> HttpResponse:
    """Continue where the resident was going, in their preferred language."""
    target = safe_next(request, request.POST.get("next") or request.GET.get("next"), reverse("web:home"))
    language = user.preferred_language
    response = redirect(in_language(target, language))
    return set_language_cookie(response, language)


def signup(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        return redirect("web:profile")
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = user_register(
                    email=data["email"],
                    password=data["password"],
                    name=data.get("name") or "",
                    preferred_language=data["preferred_language"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                login(request, user, backend=BACKEND)
                send_verification_email(request, user)
                messages.success(
                    request, _("Welcome to Tila! We sent you an email; open its link to verify your address.")
                )
                return _signed_in_redirect(request, user)
    else:
        form = SignUpForm(initial={"preferred_language": (get_language() or "fi")[:2]})
    return render(request, "web/accounts/signup.html", {"form": form, "next": request.GET.get("next", "")})


def signin(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            try:
                user = user_authenticate(
                    email=form.cleaned_data["email"], password=form.cleaned_data["password"], request=request
                )
            except DomainError as exc:  # account_locked (tila.accounts.lockout)
                form.add_domain_error(exc)
                user = None
            if user is None:
                if not form.errors:
                    form.add_domain_error(
                        DomainError("invalid_login", _("The email address or the password is wrong."))
                    )
            else:
                login(request, user, backend=BACKEND)
                return _signed_in_redirect(request, user)
    else:
        form = SignInForm()
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "web/accounts/signin.html", {"form": form, "next": next_url})


@require_POST
def signout(request: HttpRequest) -> HttpResponseBase:
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("web:home")


def verify_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    try:
        email_verify(uidb64=uidb64, token=token)
    except DomainError as exc:
        return render(request, "web/accounts/verify_failed.html", {"error": exc.message}, status=400)
    messages.success(request, _("Thank you! Your email address is verified."))
    return redirect("web:profile" if request.user.is_authenticated else "web:login")


@require_POST
@resident_required
def verify_resend(request: HttpRequest) -> HttpResponseBase:
    user = cast(User, request.user)
    if user.email_verified_at is None:
        send_verification_email(request, user)
        messages.success(request, _("We sent a new verification link to %(email)s.") % {"email": user.email})
    return redirect("web:profile")


def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = password_reset_request(email=form.cleaned_data["email"])
        if found is not None:
            user, uid, token = found
            send_password_reset_email(request, user, uid, token)
        return render(request, "web/accounts/password_reset_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "web/accounts/password_reset.html", {"form": form})


def password_reset_confirm_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    if password_reset_user(uidb64=uidb64, token=token) is None:
        return render(
            request,
            "web/accounts/verify_failed.html",
            {"error": _("This link is not valid or has expired."), "reset": True},
            status=400,
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_confirm(uidb64=uidb64, token=token, password=form.cleaned_data["password"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Your password has been changed. You can now sign in."))
            return redirect("web:login")
    return render(request, "web/accounts/password_reset_confirm.html", {"form": form})


@resident_required
def profile(request: HttpRequest) -> HttpResponseBase:
    user = cast(User, request.user)
    initial: dict[str, Any] = {"name": user.name, "preferred_language": user.preferred_language}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                user=user, name=form.cleaned_data["name"], preferred_language=form.cleaned_data["preferred_language"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Your profile has been saved."))
            response = redirect(in_language(reverse("web:profile"), user.preferred_language))
            return set_language_cookie(response, user.preferred_language)
    return render(request, "web/accounts/profile.html", {"form": form, "profile_user": user})
