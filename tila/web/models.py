"""What the resident pages keep of their own: favourite resources."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Favourite(models.Model):
    """A resident marked a resource as a favourite (shown on the home page and in search results)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="favourites"
    )
    resource = models.ForeignKey(
        "catalogue.Resource", verbose_name=_("resource"), on_delete=models.CASCADE, related_name="favourited_by"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="favourite_unique_user_resource")]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.resource_id}"
