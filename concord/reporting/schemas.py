"""Shapes of the dashboard's and the dossier's API (Django Ninja); their names are those of the OpenAPI
document's schemas, unchanged since they lived in the secretariat."""

from ninja import Field, Schema

from concord.secretariat.api_schemas import SLUG


class GroupOut(Schema):
    label: str
    percent: float | None
    count: int


class DashboardOut(Schema):
    commitments: int
    overall: float | None
    overdue: list[str]
    blocked: list[str]
    by_working_group: list[GroupOut]
    by_party: list[GroupOut]
    by_theme: list[GroupOut]


class DossierIn(Schema):
    dialogue: str = Field(..., **SLUG)
    language: str = Field("en", pattern=r"^(en|ms|ur)$")


class JobRef(Schema):
    job: str
    status_url: str
