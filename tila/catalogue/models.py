"""Units, resources and what describes them.

A Resource is what is reserved (a space or an item). Spaces form a tree: a hall may be divided
into halves, a half into courts. `ResourceLeaf` is the materialised closure from every resource to
the leaf spaces it covers; the booking engine writes one occupancy row per covered leaf, so the
database's exclusion constraint makes "the hall" and "its halves" block one another while two
halves do not.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tila.core.i18n import TranslatedField
from tila.core.models import TimeStampedModel


def generate_resource_id() -> str:
    alphabet = "abcdefghijkmnopqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Authentication(models.TextChoices):
    NONE = "none", _("Any account")
    WEAK = "weak", _("Signed in")
    STRONG = "strong", _("Strong identification")


class BookingRules(models.Model):
    """Booking rule fields shared by Resource and Unit. Empty on a resource means "as the unit";
    empty on the unit means Tila's default (see `tila.catalogue.selectors.DEFAULT_RULES`)."""

    min_period = models.DurationField(_("minimum duration"), null=True, blank=True)
    max_period = models.DurationField(_("maximum duration"), null=True, blank=True)
    slot_size = models.DurationField(
        _("slot size"), null=True, blank=True, help_text=_("Reservations start and end on this grid.")
    )
    reservable_min_days_in_advance = models.PositiveIntegerField(
        _("book at least this many days ahead"), null=True, blank=True
    )
    reservable_max_days_in_advance = models.PositiveIntegerField(
        _("book at most this many days ahead"), null=True, blank=True
    )
    buffer_before = models.DurationField(_("buffer before"), null=True, blank=True)
    buffer_after = models.DurationField(_("buffer after"), null=True, blank=True)
    max_reservations_per_user = models.PositiveIntegerField(
        _("maximum active reservations per user"), null=True, blank=True
    )
    need_manual_confirmation = models.BooleanField(_("needs manual confirmation"), null=True, blank=True)
    authentication = models.CharField(
        _("authentication required"), max_length=8, choices=Authentication.choices, blank=True, default=""
    )
    cancel_cutoff = models.DurationField(
        _("cancellation cutoff"),
        null=True,
        blank=True,
        help_text=_("Residents cannot cancel or change a reservation later than this before its start."),
    )

    class Meta:
        abstract = True


class District(models.Model):
    """A city district (kaupunginosa), for filtering and for equal-participation indicators."""

    id = models.SlugField(_("id"), max_length=100, primary_key=True)
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    municipality = models.CharField(_("municipality"), max_length=100, blank=True, default="")

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return str(self.name)


class Unit(TimeStampedModel, BookingRules):
    """A place that holds resources: a library, a youth centre, a sports hall."""

    id = models.CharField(
        _("id"), max_length=100, primary_key=True, help_text=_("May carry a registry prefix, e.g. tprek:51342.")
    )
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    description = TranslatedField(models.TextField, verbose_name=_("description"))
    street_address = TranslatedField(models.CharField, max_length=200, verbose_name=_("street address"))
    www_url = TranslatedField(models.URLField, max_length=400, verbose_name=_("web address"))
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True, default="")
    municipality = models.CharField(_("municipality"), max_length=100, blank=True, default="")
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL, related_name="units"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    email = models.EmailField(_("email"), blank=True, default="")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Helsinki")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return str(self.name)


class UnitGroup(models.Model):
    """Units managed together; a staff role may be granted over the whole group."""

    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    units = models.ManyToManyField(Unit, verbose_name=_("units"), related_name="groups", blank=True)

    class Meta:
        verbose_name = _("unit group")
        verbose_name_plural = _("unit groups")

    def __str__(self) -> str:
        return str(self.name)


class MainType(models.TextChoices):
    SPACE = "space", _("Space")
    ITEM = "item", _("Item")


class ResourceType(models.Model):
    id = models.SlugField(_("id"), max_length=100, primary_key=True)
    main_type = models.CharField(_("main type"), max_length=8, choices=MainType.choices, default=MainType.SPACE)
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))

    class Meta:
        verbose_name = _("resource type")
        verbose_name_plural = _("resource types")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return str(self.name)


class Purpose(models.Model):
    """What a resource can be used for; a tree (e.g. Sports → Ball games → Floorball)."""

    id = models.SlugField(_("id"), max_length=100, primary_key=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))

    class Meta:
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return str(self.name)


class Equipment(models.Model):
    id = models.SlugField(_("id"), max_length=100, primary_key=True)
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    category = TranslatedField(models.CharField, max_length=200, verbose_name=_("category"))

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["name_fi"]

    def __str__(self) -> str:
        return str(self.name)


class Resource(TimeStampedModel, BookingRules):
    id = models.CharField(_("id"), max_length=100, primary_key=True, default=generate_resource_id)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="resources")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("A divisible space's part names the whole space here."),
    )
    type = models.ForeignKey(ResourceType, verbose_name=_("type"), on_delete=models.PROTECT)
    purposes = models.ManyToManyField(Purpose, verbose_name=_("purposes"), blank=True, related_name="resources")
    equipment = models.ManyToManyField(Equipment, verbose_name=_("equipment"), blank=True, related_name="resources")
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    description = TranslatedField(models.TextField, verbose_name=_("description"))
    reservation_info = TranslatedField(models.TextField, verbose_name=_("reservation information"))
    terms = TranslatedField(models.TextField, verbose_name=_("terms of use"))
    people_capacity = models.PositiveIntegerField(
        _("capacity (people)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    area = models.PositiveIntegerField(_("area (m²)"), null=True, blank=True)
    reservable = models.BooleanField(_("reservable"), default=True)
    public = models.BooleanField(_("public"), default=True)
    publish_begin = models.DateTimeField(_("published from"), null=True, blank=True)
    publish_end = models.DateTimeField(_("published until"), null=True, blank=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["unit_id", "name_fi"]
        indexes = [models.Index(fields=["unit", "public", "reservable"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="resource_not_own_parent"),
            models.CheckConstraint(
                condition=models.Q(publish_begin__isnull=True)
                | models.Q(publish_end__isnull=True)
                | models.Q(publish_begin__lt=models.F("publish_end")),
                name="resource_publish_window_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def main_type(self) -> str:
        return str(self.type.main_type)


def resource_image_path(instance: Any, filename: str) -> str:
    return f"resource_images/{instance.resource_id}/{filename}"


class ResourceImage(models.Model):
    resource = models.ForeignKey(Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=resource_image_path, max_length=300, blank=True)
    url = models.URLField(_("external address"), blank=True, default="")
    caption = TranslatedField(models.CharField, max_length=300, verbose_name=_("caption"))
    is_main = models.BooleanField(_("main image"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("resource image")
        verbose_name_plural = _("resource images")
        ordering = ["resource_id", "-is_main", "order", "id"]

    def __str__(self) -> str:
        return str(self.caption) or f"#{self.pk}"


class AccessibilitySentence(models.Model):
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="accessibility_sentences"
    )
    group = TranslatedField(models.CharField, max_length=200, verbose_name=_("group"))
    sentence = TranslatedField(models.TextField, verbose_name=_("sentence"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("accessibility sentence")
        verbose_name_plural = _("accessibility sentences")
        ordering = ["resource_id", "order", "id"]

    def __str__(self) -> str:
        return str(self.sentence)[:60]


class ResourceLeaf(models.Model):
    """Closure: `resource` covers the leaf space `leaf` (a leaf covers itself). Derived data,
    rebuilt by `tila.catalogue.services` whenever the tree changes."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="leaf_links")
    leaf = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="covered_by_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resource", "leaf"], name="resourceleaf_unique")]
        indexes = [models.Index(fields=["leaf", "resource"])]

    def __str__(self) -> str:
        return f"{self.resource_id} ⊇ {self.leaf_id}"
