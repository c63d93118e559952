"""People, parties and roles: who takes part in a dialogue, for which delegation, in what capacity."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.fields import localized, user_or_none


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("title or position"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def active_memberships(self):
        return self.memberships.filter(is_active=True).select_related("dialogue", "party", "organization")


class Party(models.Model):
    """A country's delegation to a dialogue (ISO 3166-1 alpha-2 code)."""

    code = models.CharField(_("ISO country code"), max_length=2, unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_ms = models.CharField(_("name (Malay)"), max_length=120, blank=True)
    name_ur = models.CharField(_("name (Urdu)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        return localized(self, "name", language)

    def clean(self) -> None:
        if not (len(self.code) == 2 and self.code.isalpha() and self.code.isupper()):
            raise ValidationError(
                {"code": _("Use a two-letter upper-case ISO 3166-1 code, such as MY or PK.")}
            )


class Dialogue(models.Model):
    """A standing bilateral (or multilateral) dialogue between parties."""

    slug = models.SlugField(_("short name in addresses"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ms = models.CharField(_("name (Malay)"), max_length=200, blank=True)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_ur = models.TextField(_("description (Urdu)"), blank=True)
    origin = models.TextField(_("how it was established"), blank=True)
    parties = models.ManyToManyField(Party, related_name="dialogues", verbose_name=_("parties"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized("name")

    def get_absolute_url(self) -> str:
        return reverse("core:dialogue", args=[self.slug])

    def localized_description(self) -> str:
        return self.localized("description")

    def localized(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    DELEGATE = "delegate", _("Delegate")
    ANALYST = "analyst", _("Analyst")
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    OBSERVER = "observer", _("Observer")


class OrganizationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    REGULATOR = "regulator", _("Regulator")
    UNIVERSITY = "university", _("University")
    TECH_HUB = "tech_hub", _("Tech hub")
    COMPANY = "company", _("Company")
    INVESTOR = "investor", _("Investor")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")


class Organization(models.Model):
    """An organisation taking part in the ecosystem: ministry, regulator, university, company..."""

    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    country = models.CharField(_("country (ISO code)"), max_length=2)
    party = models.ForeignKey(
        Party,
        verbose_name=_("party"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    description_ms = models.TextField(_("description (Malay)"), blank=True)
    description_ur = models.TextField(_("description (Urdu)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organization_unique_name_country")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", args=[self.pk])

    def localized_description(self, language: str | None = None) -> str:
        return localized(self, "description", language)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in one dialogue. Delegates belong to a party; stakeholders to an organisation."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("dialogue")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("party"),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["dialogue", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dialogue", "role"], name="membership_unique_user_dialogue_role"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="delegate") | models.Q(party__isnull=False),
                name="membership_delegate_has_party",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="stakeholder") | models.Q(organization__isnull=False),
                name="membership_stakeholder_has_organization",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        if self.party_id:
            label = f"{label} ({self.party.code})"
        return f"{self.user} — {label}, {self.dialogue}"

    def clean(self) -> None:
        check_role_fits(self)


def check_role_fits(place: Membership | Invitation) -> None:
    """The one check that a role fits its party and organisation, for a membership and for an invitation
    to one: a delegate belongs to a party of the dialogue; a stakeholder represents an organisation (an
    invited stakeholder may register theirs on the way in), and only a stakeholder does."""
    invited = isinstance(place, Invitation)
    if place.role == Role.DELEGATE and not place.party_id:
        raise ValidationError({"party": _("A delegate belongs to one party.")})
    if place.role == Role.STAKEHOLDER and not place.organization_id and not invited:
        raise ValidationError({"organization": _("A stakeholder represents an organisation.")})
    if invited and place.role != Role.STAKEHOLDER and place.organization_id:
        raise ValidationError({"organization": _("Only stakeholders represent an organisation.")})
    if place.party_id and place.dialogue_id and not place.dialogue.parties.filter(pk=place.party_id).exists():
        raise ValidationError({"party": _("This party does not take part in this dialogue.")})


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def for_key(self, key: str) -> AccessToken | None:
        """The live token whose secret is ``key``, or None (unknown, revoked or expired)."""
        if not key or not key.startswith(AccessToken.PREFIX):
            return None
        digest = AccessToken.hash_key(key)
        token = self.select_related("user").filter(key_hash=digest, revoked_at__isnull=True).first()
        if token is None or not token.is_live():
            return None
        return token


class AccessToken(models.Model):
    """A personal access token for the API. Only its SHA-256 hash is stored."""

    PREFIX = "cnc_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @staticmethod
    def default_expiry(days: int = 90):
        return timezone.now() + timedelta(days=days)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_token(self, token: str) -> Invitation | None:
        """The invitation whose secret is ``token`` (whatever its state), or None."""
        if not token or len(token) > 100:
            return None
        return (
            self.select_related("dialogue", "party", "organization", "created_by")
            .filter(token_hash=Invitation.hash_token(token))
            .first()
        )


class Invitation(models.Model):
    """An invitation to join a dialogue in one role, sent by e-mail. Its link works once, until it expires.

    Professionals and organisations sign up this way: a stakeholder invited without an organisation registers
    their organisation on the way in. Only the SHA-256 hash of the link's secret is stored.
    """

    VALID_DAYS = 14

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("dialogue")
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = user_or_none(_("invited by"), blank=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = user_or_none(_("accepted by"))
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()}"

    def clean(self) -> None:
        check_role_fits(self)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    def get_state_display(self) -> str:
        return {
            "accepted": _("Accepted"),
            "withdrawn": _("Withdrawn"),
            "expired": _("Expired"),
            "open": _("Waiting"),
        }[self.state]

    @property
    def registers_organization(self) -> bool:
        """A stakeholder invited without an organisation names theirs when accepting."""
        return self.role == Role.STAKEHOLDER and self.organization_id is None
