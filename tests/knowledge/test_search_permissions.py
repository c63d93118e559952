"""Search never leaks: for every role, no result, title, snippet or facet count reveals an item the role may
not see, on the page and in the API, even when the index is stale."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from concord.knowledge import search
from concord.library.models import PolicyDocument
from tests.matrix import ROLES

from .conftest import UNIQUE

MEMBERS = {"observer", "stakeholder", "analyst_my", "analyst_pk", "delegate_my", "delegate_pk", "secretariat"}
# EXPECTED[role] = the items the role may see, by hand from concord/core/rules.py.
EXPECTED = {
    "anonymous": {"public"},
    "outsider": {"public"},
    "observer": {"public", "dialogue"},
    "stakeholder": {"public", "dialogue"},
    "secretariat": {"public", "dialogue"},
    "analyst_my": {"public", "dialogue", "partymy"},
    "delegate_my": {"public", "dialogue", "partymy"},
    "analyst_pk": {"public", "dialogue", "partypk"},
    "delegate_pk": {"public", "dialogue", "partypk"},
}


def _user(p, role):
    return AnonymousUser() if role == "anonymous" else p.users[role]


def test_the_matrix_covers_every_role():
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_results_titles_snippets_and_facets_show_only_what_the_role_may_see(corpus, role):
    user = _user(corpus, role)
    allowed = EXPECTED[role]
    results = search.search(user, "harbour", page_size=100)
    seen = {key for key, word in UNIQUE.items() if any(word in h.title for h in results.hits)}
    assert seen == allowed
    text = " ".join(f"{h.title} {h.snippet} {h.title_html}" for h in results.hits)
    for key, word in UNIQUE.items():
        assert (word in text) is (key in allowed)
    assert results.total == 2 * len(allowed)  # one document and one opportunity each
    assert sum(f.count for f in results.facets["type"]) == results.total
    assert sum(f.count for f in results.facets["theme"]) == len(allowed)
    assert {f.value: f.count for f in results.facets["party"]} == {
        code: 2 for code, key in (("MY", "partymy"), ("PK", "partypk")) if key in allowed
    }
    # A search for a hidden item's own word never brings that item up.
    for key, word in UNIQUE.items():
        found = search.search(user, word)
        assert any(word in h.title for h in found.hits) is (key in allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_page_and_the_api_leak_nothing(corpus, client, settings, role):
    settings.CONCORD_REQUIRE_2FA = False
    if role != "anonymous":
        client.force_login(corpus.users[role])
    allowed = EXPECTED[role]
    page = client.get("/search/", {"q": "harbour"}).content.decode()
    api = client.get("/api/search", {"q": "harbour", "page_size": 100})
    assert api.status_code == 200
    body = api.content.decode()
    for key, word in UNIQUE.items():
        assert (word in page) is (key in allowed), (key, "page")
        assert (word in body) is (key in allowed), (key, "api")
    assert api.json()["total"] == 2 * len(allowed)
    # Filtering by a party the role cannot see gives nothing, not a count.
    for code, key in (("MY", "partymy"), ("PK", "partypk")):
        data = client.get("/api/search", {"q": "harbour", "party": code}).json()
        assert (data["total"] > 0) is (key in allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_stale_index_still_leaks_nothing(corpus, role):
    doc = corpus.items["public"][0]
    # Made party-only behind the index's back (no refresh): the live check must still hide it.
    PolicyDocument.objects.filter(pk=doc.pk).update(visibility="party", party=corpus.pk)
    user = _user(corpus, role)
    titles = [h.title for h in search.search(user, "aardvark").hits]
    assert (doc.title in titles) is (role in {"analyst_pk", "delegate_pk"})


@pytest.mark.django_db
def test_deleted_objects_vanish_from_results(corpus):
    doc = corpus.items["public"][0]
    PolicyDocument.objects.filter(pk=doc.pk).delete()
    assert all(h.kind != "document" for h in search.search(AnonymousUser(), "aardvark").hits)


@pytest.mark.django_db
def test_restricted_sources_decide_object_by_object(personas):
    """Personal data (talent profiles) is indexed as "restricted": offered to signed-in callers only and
    shown only when the source's own check says so."""
    from concord.accounts.models import Organization
    from concord.knowledge import index, registry

    org = Organization.objects.create(name="Private zebrafish profile", country="MY", kind="company")
    owner = personas.analyst_my
    source = registry.Source(
        kind="privateprofile",
        label="Profile",
        model="accounts.Organization",
        title=lambda o: o.name,
        body=lambda o: "zebrafish",
        access=lambda o: registry.Access(None, registry.RESTRICTED),
        visible_q=lambda user: Q(pk__in=[]),
        url=lambda o: "/",
        check_ids=lambda user, ids: set(ids) if user == owner else set(),
    )
    previous = registry.get("organization")
    registry.unregister("organization")
    registry.register(source)
    try:
        index.refresh(org)
        for role in ROLES:
            results = search.search(_user(personas, role), "zebrafish")
            assert (results.total == 1) is (role == "analyst_my"), role
            assert sum(f.count for f in results.facets.get("type", [])) == results.total
    finally:
        registry.unregister("privateprofile")
        registry.register(previous)
