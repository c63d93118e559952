"""Validating our OSCAL mapping collections against NIST's OSCAL model.

``oscal-bindings`` (pinned in the test extras of ``pyproject.toml``) holds models generated from NIST's
published OSCAL JSON schema; its ``__oscal_schema_version__`` names the OSCAL release. Where it is missing
the calling test skips with the ``[oscal-schema]`` tag, which CI turns into a failure.
"""

from __future__ import annotations

import pytest

MISSING = "[oscal-schema] oscal-bindings is not installed: pip install -e '.[test]'"


def oscal_mapping_errors(document: dict) -> list[str]:
    """Every way ``document`` breaks the OSCAL mapping-collection model, as "path: message"; [] if none."""
    bindings = pytest.importorskip("oscal_bindings", reason=MISSING)
    from oscal_bindings.v1.models import MappingCollectionDocument
    from pydantic import ValidationError

    assert bindings.__oscal_schema_version__.startswith("1.2"), bindings.__oscal_schema_version__
    try:
        MappingCollectionDocument.model_validate(document)
    except ValidationError as exc:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    return []
