from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; `uuid` is the stable id for integrations."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FI
    )
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("Can sign in to the administration site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)
    # Privacy (tila.accounts.gdpr and tila.accounts.retention)
    retention_notice_sent_at = models.DateTimeField(_("inactivity notice sent at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]


class Role(models.TextChoices):
    ADMIN = "admin", _("Unit administrator")
    HANDLER = "handler", _("Handler")
    VIEWER = "viewer", _("Viewer")


class UnitRole(models.Model):
    """A staff role over one unit or over a group of units."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="unit_roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey("catalogue.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE)
    unit_group = models.ForeignKey(
        "catalogue.UnitGroup", verbose_name=_("unit group"), null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("unit role")
        verbose_name_plural = _("unit roles")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(unit__isnull=False, unit_group__isnull=True))
                | (models.Q(unit__isnull=True, unit_group__isnull=False)),
                name="unitrole_unit_xor_group",
            ),
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unitrole_unique_unit"),
            models.UniqueConstraint(fields=["user", "role", "unit_group"], name="unitrole_unique_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit or self.unit_group}"


class AuthToken(models.Model):
    """An API bearer token. Only a SHA-256 digest of the token is stored."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class ExternalIdentity(models.Model):
    """A sign-in through an OpenID Connect provider: the provider's `iss` and `sub` for this user."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="identities")
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last signed in at"), null=True, blank=True)
    last_level = models.CharField(_("last identification level"), max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="externalidentity_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"


class TrustedApplication(models.Model):
    """A third-party OpenID Connect client (the `azp` of the provider's bearer JWTs) that the person
    allows to use Tila's API for them (tila.accounts.services.trusted_applications_set)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="trusted_applications"
    )
    client_id = models.CharField(_("client id"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trusted application")
        verbose_name_plural = _("trusted applications")
        constraints = [models.UniqueConstraint(fields=["user", "client_id"], name="trustedapplication_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.client_id}"
