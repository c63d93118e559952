"""On the answer form, citing a programme or document the answerer cannot see (or one that does not exist) is
refused with a message that names it, as the action and the API do, and nothing is written."""

from __future__ import annotations

import pytest

from concord.library.models import PolicyDocument
from concord.programmes.models import PeerAnswer

from .conftest import make_programme
from .peer_fixtures import make_request

pytestmark = pytest.mark.django_db


def test_citing_a_hidden_programme_or_document_on_the_page_names_it(personas, as_user):
    request = make_request(personas)
    my_only = make_programme(personas, party="my", visibility="party", title="Malaysia only")
    hidden_doc = PolicyDocument.objects.create(
        dialogue=personas.dialogue, title="MY draft", kind="policy", visibility="party", party=personas.my
    )
    client = as_user(personas.delegate_pk)
    url = f"/programmes/requests/{request.pk}/answer/"
    page = client.post(url, {"text": "See this.", "programmes": [my_only.pk]}, follow=True).content.decode()
    assert f"No programme with id {my_only.pk} that you can see" in page
    assert "Select a valid choice" not in page
    page = client.post(url, {"text": "See this.", "documents": [hidden_doc.pk]}, follow=True).content.decode()
    assert f"No document with id {hidden_doc.pk} that you can see" in page
    page = client.post(url, {"text": "See this.", "programmes": ["abc"]}, follow=True).content.decode()
    assert "“abc” is not a programme" in page
    assert not PeerAnswer.objects.exists()
