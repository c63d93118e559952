"""The OpenAPI document tells the truth: one name per schema, and each operation documented with its own body.

Django Ninja files every schema under its class name in one ``components/schemas`` table, so two classes
called ``ReviewIn`` silently overwrite each other and several operations end up documented with another
endpoint's body. These tests walk both the generated document and the schemas the routers declare.
"""

from __future__ import annotations

import enum
import typing
from collections import defaultdict

import pytest
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema
from pydantic import BaseModel

from concord.api.api import api

PREFIX = "#/components/schemas/"


def _operations():
    """Every (operationId, ninja operation) the API serves, nested routers included (as the document has)."""
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                yield operation.operation_id or api.get_openapi_operation_id(operation), operation


def _declared_types(annotation, found: set) -> None:
    """The pydantic models and enums an annotation names, through unions, lists and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _declared_types(field.annotation, found)
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.add(annotation)
    for argument in typing.get_args(annotation):
        _declared_types(argument, found)


def _registry() -> dict[str, set[type]]:
    """Each schema name → the classes the routers declare under it (bodies, parameters, responses)."""
    by_name: dict[str, set[type]] = defaultdict(set)
    for _operation_id, operation in _operations():
        found: set = set()
        for params in operation.models:  # Ninja's per-source wrappers; their fields are the declared types
            for field in params.model_fields.values():
                _declared_types(field.annotation, found)
        for model in operation.response_models.values():
            _declared_types(model, found)
        for cls in found:
            if cls.__module__.startswith("concord."):
                by_name[cls.__name__].add(cls)
    return by_name


def _body_class(operation) -> type | None:
    for params in operation.models:
        if params.__ninja_param_source__ == "body":
            (field,) = params.model_fields.values()
            return field.annotation
    return None


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def test_no_two_declared_schemas_share_a_name():
    shared = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in _registry().items()
        if len(classes) > 1
    }
    assert shared == {}


def test_no_two_generated_schemas_share_a_name():
    """Generated as Ninja does (validation for input, serialization for output), one name has one shape."""
    shapes: dict[str, dict[str, str]] = defaultdict(dict)
    for operation_id, operation in _operations():
        uses = [(m, "validation") for m in operation.models]
        uses += [(m, "serialization") for m in operation.response_models.values() if m is not None]
        for model, mode in uses:
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                continue
            generated = model.model_json_schema(
                ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode=mode
            )
            for name, shape in generated.get("$defs", {}).items():
                shapes[name][repr(sorted(shape.items()))] = operation_id
    shared = {name: sorted(where.values()) for name, where in shapes.items() if len(where) > 1}
    assert shared == {}


def test_each_operation_is_documented_with_its_own_request_body(document):
    operations = {
        details["operationId"]: details
        for methods in document["paths"].values()
        for details in methods.values()
    }
    checked = 0
    for operation_id, operation in _operations():
        body = _body_class(operation)
        if body is None:
            continue
        content = operations[operation_id]["requestBody"]["content"]["application/json"]["schema"]
        assert content.get("$ref") == PREFIX + body.__name__, operation_id
        documented = document["components"]["schemas"][body.__name__]
        assert set(documented["properties"]) == set(body.model_fields), operation_id
        checked += 1
    assert checked > 40  # every JSON-body operation was looked at, not a handful


def test_each_operation_is_documented_with_its_own_responses(document):
    operations = {
        details["operationId"]: details
        for methods in document["paths"].values()
        for details in methods.values()
    }
    for operation_id, operation in _operations():
        for status, model in operation.response_models.items():
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                continue
            (field,) = model.model_fields.values()  # Ninja wraps the declared type in a one-field model
            declared = field.annotation
            if not (isinstance(declared, type) and issubclass(declared, BaseModel)):
                continue
            schema = operations[operation_id]["responses"][status]["content"]["application/json"]
            assert schema["schema"]["$ref"] == PREFIX + declared.__name__, (operation_id, status)
            documented = document["components"]["schemas"][declared.__name__]
            assert set(documented["properties"]) == set(declared.model_fields), (operation_id, status)


def test_the_renamed_bodies_say_what_they_review(document):
    """The four reviews and two decisions that once shared a name now each carry their own fields."""
    schemas = document["components"]["schemas"]
    assert "relationship" in schemas["MappingReviewIn"]["properties"]
    assert "verify" in schemas["ProgressReviewIn"]["properties"]
    assert "level" in schemas["SkillReviewIn"]["properties"]
    assert schemas["ListingReviewIn"]["properties"]["decision"]["enum"] == ["publish", "return"]
    assert "reply" in schemas["InterestDecisionIn"]["properties"]
    assert set(schemas["AmendmentDecisionIn"]["properties"]) == {"accept"}
    assert not {"ReviewIn", "DecisionIn", "ProfileIn", "ProfileOut", "OpportunityIn", "OpportunityOut"} & set(
        schemas
    )


def _unbounded_integers(schema, components, where: str, seen: frozenset = frozenset()):
    """Places in a schema where an integer has no maximum (a huge number would reach the database)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            name = schema["$ref"].removeprefix(PREFIX)
            if name not in seen:
                yield from _unbounded_integers(components[name], components, f"{where}>{name}", seen | {name})
            return
        if schema.get("type") == "integer" and "maximum" not in schema:
            yield where
        for key, value in schema.items():
            if key in {"properties", "$defs"}:
                for name, sub in value.items():
                    yield from _unbounded_integers(sub, components, f"{where}.{name}", seen)
            elif key in {"items", "additionalProperties", "anyOf", "oneOf", "allOf"}:
                yield from _unbounded_integers(value, components, where, seen)
    elif isinstance(schema, list):
        for sub in schema:
            yield from _unbounded_integers(sub, components, where, seen)


def test_every_integer_a_client_sends_is_bounded(document):
    """Ids of 2^63 and more overflow the database: each integer parameter and body field has a maximum,
    so such a number gets a 422 naming it (concord.api.types.Id)."""
    components = document["components"]["schemas"]
    unbounded = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                unbounded += _unbounded_integers(
                    parameter["schema"], components, f"{method} {path} {parameter['name']}"
                )
            for media in operation.get("requestBody", {}).get("content", {}).values():
                unbounded += _unbounded_integers(media["schema"], components, f"{method} {path} body")
    assert unbounded == []


def test_every_export_format_is_documented_with_its_media_type(document):
    """An export answered with a media type the document does not list fails every client that checks."""
    from concord.harmonize.exports import FORMATS

    content = document["paths"]["/api/comparisons/{comparison_id}/export"]["get"]["responses"][200]["content"]
    for fmt, (content_type, _suffix) in FORMATS.items():
        assert content_type.split(";")[0] in content, fmt
