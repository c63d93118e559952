"""The Malay and Urdu catalogues are complete, well-formed, compiled, and used by the pages.

The .po files are parsed with the standard library only (no polib). Checks that need GNU gettext
(``msgfmt``, ``xgettext``) skip with a reason tagged ``[gettext]`` where it is missing; CI installs it.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "concord" / "locale"
LANGS = ("ms", "ur")
PLURAL_FORMS = {"ms": "nplurals=1; plural=0;", "ur": "nplurals=2; plural=(n != 1);"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
# Urdu translations that may stay in Latin script: the product name and technical codes.
URDU_LATIN_OK = {"Concord", "API", "SHA-256", "PDF"}


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


# --- a small .po reader ---------------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    plurals: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def translations(self) -> list[str]:
        return (
            [self.plurals[i] for i in sorted(self.plurals)]
            if self.msgid_plural is not None
            else [self.msgstr]
        )


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    cur: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal cur, target
        if cur is not None and target is not None:
            entries.append(cur)
        cur, target = None, None

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if cur is None:
            cur = Entry(line=n)
        if line.startswith("#,"):
            cur.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            continue
        elif m := _KEYWORD.match(line):
            keyword, index, value = m.group(1), m.group(2), ast.literal_eval(m.group(3))
            if index is not None:
                target = ("plurals", int(index))
                cur.plurals[int(index)] = value
            else:
                target = (keyword, None)
                setattr(cur, keyword, value)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            name, index = target
            if name == "plurals":
                cur.plurals[index] += value
            else:
                setattr(cur, name, getattr(cur, name) + value)
        else:
            raise AssertionError(f"{path}:{n}: cannot read {raw!r}")
    finish()
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    assert entries and entries[0].msgid == "" and entries[0].msgctxt is None, "the header comes first"
    return dict(line.split(": ", 1) for line in entries[0].msgstr.splitlines() if ": " in line)


def messages(lang: str) -> list[Entry]:
    return read_po(po_path(lang))[1:]


def need_gettext(*tools: str) -> None:
    for tool in tools or ("msgfmt",):
        if shutil.which(tool) is None:
            pytest.skip(f"[gettext] {tool} is not installed (apt-get install gettext)")


# --- (a) every message is translated, nothing is fuzzy, the header is right -------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_header_names_language_charset_and_plural_forms(lang):
    entries = read_po(po_path(lang))
    head = header(entries)
    assert head.get("Language") == lang
    assert head.get("Plural-Forms") == PLURAL_FORMS[lang]
    assert head.get("Content-Type") == "text/plain; charset=UTF-8"
    assert head.get("Language-Team", "").strip() and "LANGUAGE" not in head["Language-Team"]
    assert "fuzzy" not in entries[0].flags, "the header is still marked fuzzy"


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    entries = messages(lang)
    assert len(entries) > 100, "the catalogue looks empty: run `make messages`"
    nplurals = 1 if lang == "ms" else 2
    problems = []
    for e in entries:
        where = f"{po_path(lang).name}:{e.line} {e.msgid!r}"
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy: {where}")
        if e.msgid_plural is not None and len(e.plurals) != nplurals:
            problems.append(f"{len(e.plurals)} plural forms, want {nplurals}: {where}")
        if any(not t.strip() for t in e.translations()):
            problems.append(f"untranslated: {where}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_kept(lang):
    problems = []
    for e in messages(lang):
        for i, text in enumerate(e.translations()):
            source = e.msgid if (e.msgid_plural is None or (i == 0 and lang != "ms")) else e.msgid_plural
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{e.msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_urdu_is_written_in_urdu_script():
    latin = [
        e.msgid
        for e in messages("ur")
        for t in e.translations()
        if not ARABIC_SCRIPT.search(t) and t not in URDU_LATIN_OK
    ]
    assert not latin, f"Urdu translations without Urdu script: {latin}"


def test_terminology_is_consistent():
    """A few glossary terms (docs/glossary.md) are always translated the same way."""
    ms = {e.msgid: " ".join(e.translations()) for e in messages("ms")}
    ur = {e.msgid: " ".join(e.translations()) for e in messages("ur")}
    assert ms["Sign in"] == "Log masuk" and ur["Sign in"] == "سائن ان"
    assert ms["Sign out"] == "Log keluar" and ur["Sign out"] == "سائن آؤٹ"
    assert ms["Audit log"] == "Log audit" and ur["Audit log"] == "آڈٹ لاگ"
    assert ms["Two-factor authentication"] == "Pengesahan dua faktor"
    assert ur["Two-factor authentication"] == "دو مرحلہ توثیق"
    assert (ms["Malaysia"], ur["Malaysia"]) == ("Malaysia", "ملائیشیا")
    assert (ms["Pakistan"], ur["Pakistan"]) == ("Pakistan", "پاکستان")
    assert ms["Concord"] == ur["Concord"] == "Concord"
    for msgid, text in ur.items():
        words = PLACEHOLDER.sub("", msgid).lower()
        if "dialogue" in words:
            assert "مکالم" in text, (msgid, text)
        if "provision" in words:
            assert "شق" in text, (msgid, text)


# --- (b) msgfmt's own checks ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_msgfmt_check_passes(lang, tmp_path):
    need_gettext("msgfmt")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "out.mo"), str(po_path(lang))],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


# --- (c) the committed .mo matches the .po ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_is_up_to_date(lang):
    mo = po_path(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    expected: dict[object, str] = {}
    for e in read_po(po_path(lang)):
        if "fuzzy" in e.flags and e.msgid:
            continue  # msgfmt leaves fuzzy messages out
        if e.msgid_plural is not None:
            for i, text in e.plurals.items():
                expected[(e.key, i)] = text
        else:
            expected[e.key] = e.msgstr
    # msgfmt drops the POT-Creation-Date header line, which makemessages rewrites on every run.
    for catalogue in (compiled, expected):
        catalogue[""] = re.sub(r"(?m)^POT-Creation-Date:.*\n", "", catalogue.get("", ""))
    assert compiled == expected, f"{mo.name} is stale: run `make messages` (compilemessages)"


# --- (d) the pages speak the language --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "path", "texts"),
    [
        ("ms", "/accounts/login/", ["Log masuk", "Kata laluan", "Alamat e-mel", "Tukar bahasa"]),
        ("ur", "/accounts/login/", ["سائن ان", "پاس ورڈ", "ای میل ایڈریس", "زبان تبدیل کریں"]),
        ("ms", "/", ["Fungsi Concord", "Harmonisasi", "Nota awam", "Log masuk"]),
        ("ur", "/", ["Concord کیا کرتا ہے", "ہم آہنگی", "عوامی نوٹس", "سائن ان"]),
    ],
)
def test_public_pages_are_translated(client, settings, lang, path, texts):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'lang="{lang}"' in page
    assert ('dir="rtl"' in page) is (lang == "ur")
    for text in texts:
        assert text in page, f"{text!r} not on {path} in {lang}"
    assert ">Sign in<" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("ms", ["Kerja saya", "Selamat datang", "Log keluar", "Nota terkini", "Sekretariat"]),
        ("ur", ["میرا کام", "خوش آمدید", "سائن آؤٹ", "حالیہ نوٹس", "سیکرٹریٹ"]),
    ],
)
def test_dashboard_is_translated(personas, as_user, settings, lang, texts):
    client = as_user(personas.secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = client.get("/").content.decode()
    assert ('dir="rtl"' in page) is (lang == "ur")
    for text in texts:
        assert text in page, f"{text!r} not on the dashboard in {lang}"


@pytest.mark.django_db
def test_english_stays_left_to_right(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert 'dir="ltr"' in page and ">Sign in<" in page


# --- (e) the catalogues cover every string in the source --------------------------------------------------


@pytest.mark.django_db
def test_catalogues_cover_the_source(tmp_path, monkeypatch, settings):
    """makemessages on a copy of the source finds no message that the committed catalogues lack."""
    need_gettext("xgettext", "msgmerge", "msguniq")
    from django.core.management import call_command

    source = Path(settings.BASE_DIR) / "concord"
    copy = tmp_path / "concord"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns("static", "engine", "__pycache__", "*.pyc", "*.mo", "*.sqlite3"),
    )
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]
    call_command(
        "makemessages",
        locale=list(LANGS),
        no_obsolete=True,
        ignore_patterns=["static/*", "engine/*"],
        verbosity=0,
    )
    for lang in LANGS:
        committed = {e.key for e in messages(lang)}
        fresh = read_po(copy / "locale" / lang / "LC_MESSAGES" / "django.po")[1:]
        new = sorted(e.key for e in fresh if e.key not in committed)
        gone = sorted(committed - {e.key for e in fresh})
        assert not new, f"{lang}: not in the catalogue (run `make messages`, then translate): {new}"
        assert not gone, f"{lang}: no longer in the source (run `make messages`): {gone}"
