"""Shared fixtures: the Pakistan–Malaysia personas, a database-vendor check, and the rule about skips.

Tests that need a tool which may be missing skip with a reason that starts with a tag, e.g.
``[chromium] …`` or ``[postgres] …``. ``CONCORD_REQUIRE=chromium,postgres`` (set by CI) turns each such
skip into a failure, so CI proves that every test ran.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.chromium import CHROMIUM_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # playwright's event loop vs Django's ORM guard

CHROMIUM = os.environ.get("CONCORD_CHROMIUM", "/usr/bin/chromium")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: behaviour specific to SQLite")
    config.addinivalue_line("markers", "postgres_only: behaviour specific to PostgreSQL")


def _required() -> set[str]:
    return {t.strip() for t in os.environ.get("CONCORD_REQUIRE", "").split(",") if t.strip()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _required():
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        for tag in _required():
            if f"[{tag}]" in reason:
                report.outcome = "failed"
                report.longrepr = f"CONCORD_REQUIRE={tag} but this test skipped: {reason}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that commit (``transaction=True``, a live server) run last, as Django orders them: they end
    by flushing every table, rows loaded by migrations (the theme taxonomy) included, so a test after
    them on the same worker would find those rows gone. pytest-django sorts so, but a plugin that
    reorders later (pytest-playwright groups by browser) undoes it; this sort is stable otherwise."""

    items.sort(key=_commits)


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    return transactional or "live_server" in getattr(item, "fixturenames", ())


@pytest.fixture(autouse=True)
def _default_themes(request):
    """A test that commits starts on a database the previous committing test flushed, so the theme
    taxonomy that a migration loads may be gone: load it again, as the migration does. (Restoring it with
    ``serialized_rollback`` instead collides, on PostgreSQL, with the content types that the previous
    flush re-created under new ids.)"""
    if not _commits(request.node):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps as django_apps

    from concord.library.models import Theme

    migration = importlib.import_module("concord.library.migrations.0002_default_themes")

    if not Theme.objects.exists():
        migration.load_default_themes(django_apps, None)


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. Django's locale middleware activates a request's
    language in the thread that served it and leaves it active, so a test client request in Urdu would
    otherwise leave later tests on the same worker reading Urdu messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _vendor_specific(request):
    if request.node.get_closest_marker("postgres_only") and _vendor() != "postgresql":
        pytest.skip("[postgres] needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)")
    if request.node.get_closest_marker("sqlite_only") and _vendor() != "sqlite":
        pytest.skip("[sqlite-run] runs in the SQLite pass of the suite")


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not chromium_available():
        pytest.skip("[chromium] Chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


# --- personas -------------------------------------------------------------------------------------------
PASSWORD = "correct-horse-battery-staple"


class Personas:
    """The dialogue, its two parties and one user per role (and an outsider with no membership)."""

    def __init__(self):
        from concord.accounts import actions
        from concord.accounts.models import Organization

        self.my = actions.do_create_party(
            actor=None, code="MY", name="Malaysia", name_ms="Malaysia", name_ur="ملائیشیا"
        )
        self.pk = actions.do_create_party(
            actor=None, code="PK", name="Pakistan", name_ms="Pakistan", name_ur="پاکستان"
        )
        self.dialogue = actions.do_create_dialogue(
            actor=None,
            slug="pk-my",
            name="Pakistan–Malaysia Digital Policy Dialogue",
            parties=[self.my, self.pk],
        )
        self.university = Organization.objects.create(
            name="Test University", country="MY", party=self.my, kind="university"
        )
        # The one bootstrap path (concord/accounts/rules.py): an administrator appoints the secretariat, and
        # the secretariat adds everyone else.
        self.administrator = actions.do_create_administrator(
            actor=None, email="site-admin@test.example", full_name="Site Administrator", password=None
        )
        self.users = {}
        spec = {
            "secretariat": ("secretariat", None, None),
            "delegate_my": ("delegate", self.my, None),
            "delegate_pk": ("delegate", self.pk, None),
            "analyst_my": ("analyst", self.my, None),
            "analyst_pk": ("analyst", self.pk, None),
            "stakeholder": ("stakeholder", None, self.university),
            "observer": ("observer", None, None),
        }
        for name, (role, party, org) in spec.items():
            user = actions.do_create_user(
                actor=None,
                email=f"{name}@test.example",
                full_name=name.replace("_", " ").title(),
                password=PASSWORD,
            )
            actions.do_add_membership(
                actor=self.users.get("secretariat", self.administrator),
                user=user,
                dialogue=self.dialogue,
                role=role,
                party=party,
                organization=org,
            )
            self.users[name] = user
        self.users["outsider"] = actions.do_create_user(
            actor=None, email="outsider@test.example", full_name="Outsider", password=PASSWORD
        )

    def __getattr__(self, name):
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def personas(db) -> Personas:
    return Personas()


@pytest.fixture
def in_london(settings):
    """The server's zone and the request's are London's, neither Karachi's nor Kuala Lumpur's, so that a
    time shown in its own zone is not right by accident."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    settings.TIME_ZONE = "Europe/London"
    timezone.activate(ZoneInfo("Europe/London"))
    yield
    timezone.deactivate()


@pytest.fixture
def as_user(client, settings):
    """Log the client in as a user, with two-factor verification done (as after a real TOTP check)."""
    settings.CONCORD_REQUIRE_2FA = False

    def _login(user):
        client.force_login(user)
        return client

    return _login
