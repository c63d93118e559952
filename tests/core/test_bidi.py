"""English names and titles inside Urdu sentences are isolated, so their punctuation stays in place."""

from __future__ import annotations

import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db


def test_the_bdi_filter_isolates_and_escapes():
    html = Template("{% load bidi %}{{ v|bdi }}|{{ empty|bdi }}").render(
        Context({"v": "<Export Board>", "empty": ""})
    )
    assert html == "<bdi>&lt;Export Board&gt;</bdi>|"


def test_a_name_in_a_translated_urdu_sentence_is_isolated(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(personas.delegate_my)
    client.cookies["django_language"] = "ur"
    body = client.get("/").content.decode()
    assert 'dir="rtl"' in body
    name = personas.delegate_my.get_short_name()
    assert f"<bdi>{name}</bdi>" in body


def test_the_search_phrase_is_isolated_in_the_result_count(personas, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(personas.delegate_my)
    client.cookies["django_language"] = "ur"
    body = client.get("/search/", {"q": "Export Board."}).content.decode()
    assert "<bdi>Export Board.</bdi>" in body
