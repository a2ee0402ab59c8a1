"""Account emails of the resident pages, in the recipient's language, sent after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tila.accounts.models import User
from tila.accounts.services import email_verification_token


def _send(user: User, template: str, context: dict[str, object]) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"web/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"web/email/{template}.txt", {**context, "user": user})
    recipient = user.email
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)
    )


def send_verification_email(request: HttpRequest, user: User) -> None:
    uid, token = email_verification_token(user=user)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        link = request.build_absolute_uri(reverse("web:verify_email", args=[uid, token]))
    _send(user, "verify", {"link": link})


def send_password_reset_email(request: HttpRequest, user: User, uid: str, token: str) -> None:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        link = request.build_absolute_uri(reverse("web:password_reset_confirm", args=[uid, token]))
    _send(user, "password_reset", {"link": link})
