"""The review queue's filters: by review state, theme, document, relationship, confidence and what waits for
the user's party. One function reads them from a query string, so the page and its bulk decision act on the
same set of mappings."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from concord.library.models import ProvisionTheme

from .models import Relationship, ReviewStatus, SignOff

CONFIDENCE_BANDS = {
    "low": (_("Low (below 0.4)"), 0.0, 0.4),
    "medium": (_("Medium (0.4 to 0.7)"), 0.4, 0.7),
    "high": (_("High (0.7 and above)"), 0.7, 1.01),
}
EXCERPT = 220  # characters of provision text shown in a queue row (cut in SQL: no large column is loaded)


@dataclass
class QueueFilters:
    status: str = ReviewStatus.PENDING
    theme: str = ""
    document: int | None = None
    relationship: str = ""
    confidence: str = ""
    waiting: bool = False

    @classmethod
    def from_query(cls, params) -> QueueFilters:
        """Unknown values are ignored (the filter is left out), so a stale link still shows a queue."""
        status = params.get("status", ReviewStatus.PENDING)
        document = params.get("document", "")
        relationship = params.get("relationship", "")
        confidence = params.get("confidence", "")
        return cls(
            status=status if status in [*ReviewStatus.values, "all"] else ReviewStatus.PENDING,
            theme=params.get("theme", "")[:80],
            document=int(document) if document.isdigit() else None,
            relationship=relationship if relationship in Relationship.values else "",
            confidence=confidence if confidence in CONFIDENCE_BANDS else "",
            waiting=params.get("waiting") == "1",
        )

    def as_query(self) -> dict[str, str]:
        out = {
            "status": self.status,
            "theme": self.theme,
            "document": str(self.document or ""),
            "relationship": self.relationship,
            "confidence": self.confidence,
            "waiting": "1" if self.waiting else "",
        }
        return {k: v for k, v in out.items() if v}

    @property
    def narrowed(self) -> bool:
        return bool(self.theme or self.document or self.relationship or self.confidence or self.waiting)

    def apply(self, qs: QuerySet, *, party_ids: list[int] | None = None) -> QuerySet:
        if self.status in ReviewStatus.values:
            qs = qs.filter(review_status=self.status)
        if self.theme:
            tagged = ProvisionTheme.objects.shown().filter(theme__slug=self.theme).values("provision_id")
            qs = qs.filter(Q(source_provision__in=tagged) | Q(target_provision__in=tagged))
        if self.document:
            qs = qs.filter(Q(source_document_id=self.document) | Q(target_document_id=self.document))
        if self.relationship:
            qs = qs.filter(relationship=self.relationship)
        if self.confidence:
            _label, low, high = CONFIDENCE_BANDS[self.confidence]
            qs = qs.filter(confidence__gte=low, confidence__lt=high)
        if self.waiting:
            qs = waiting_for(qs, party_ids or [])
        return qs


def waiting_for(qs: QuerySet, party_ids: list[int]) -> QuerySet:
    """Mappings that wait for one of ``party_ids``: decided (accepted), and that party has not signed or
    objected to them as they stand now."""
    if not party_ids:
        return qs.none()
    signed = SignOff.objects.filter(
        mapping=OuterRef("pk"),
        party_id__in=party_ids,
        relationship=OuterRef("relationship"),
        review_status=OuterRef("review_status"),
    )
    return qs.filter(review_status=ReviewStatus.ACCEPTED).exclude(Exists(signed))
