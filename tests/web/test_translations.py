"""The Thai catalogue: complete, compiled, and what the pages show.

Thai is the first language of every page; the msgids in the code are English. The .po is the source the
translators edit and the .mo is committed beside it (a fresh machine may lack GNU gettext), so these
tests check that the .po is fully translated and that the .mo says exactly what the .po says.
"""

import ast
import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "th" / "LC_MESSAGES"
PO = CATALOGUE / "django.po"
MO = CATALOGUE / "django.mo"
# %(name)s, %(p)d, %s …: what Python's % (and blocktranslate, which becomes %(counter)s) fills in.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 for a singular entry
    flags: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return f"{PO.name}:{self.line} {self.msgid!r}"


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header included, obsolete ``#~`` entries left out)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None  # the keyword a continuation line ("...") belongs to
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')

    def text(quoted: str) -> str:
        return ast.literal_eval(quoted)  # a C-style string: the escapes PO files use are Python's

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            target = None
            continue
        if line.startswith("#,"):
            flags = {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert entry is not None and target is not None, f"{path.name}:{number}: stray string"
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text(line)
            else:
                setattr(entry, name, (getattr(entry, name) or "") + text(line))
            continue
        match = keyword.match(line)
        assert match, f"{path.name}:{number}: cannot read {line!r}"
        name, index, quoted = match.group(1), match.group(2), match.group(3)
        if name in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
            entry = Entry(line=number, flags=flags)
            entries.append(entry)
            flags = set()
        assert entry is not None
        if name.startswith("msgstr"):
            key = int(index) if index is not None else 0
            entry.msgstr[key] = text(quoted)
            target = ("msgstr", key)
        else:
            setattr(entry, name, text(quoted))
            target = (name, 0)
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: run `khru makemessages -l th` in src/khru"
    return read_po(PO)


@pytest.fixture(scope="module")
def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid]


def test_header_is_thai_utf8_with_one_plural_form(entries: list[Entry]) -> None:
    header = entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    assert fields["Language"] == "th"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_every_message_is_translated_and_checked(messages: list[Entry]) -> None:
    assert len(messages) > 100  # the whole interface, not a stub
    untranslated = [str(e) for e in messages if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [str(e) for e in messages if "fuzzy" in e.flags]
    assert not untranslated, f"empty msgstr: {untranslated}"
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy}"


def test_plural_entries_have_exactly_one_form(messages: list[Entry]) -> None:
    plurals = [e for e in messages if e.msgid_plural is not None]
    assert plurals, "the import preview's problem count should be a plural entry"
    wrong = [str(e) for e in plurals if sorted(e.msgstr) != [0]]
    assert not wrong, f"Thai has one plural form (msgstr[0] only): {wrong}"


def test_placeholders_are_kept(messages: list[Entry]) -> None:
    wrong = []
    for e in messages:
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        for translated in e.msgstr.values():
            if sorted(PLACEHOLDER.findall(translated)) != expected:
                wrong.append(f"{e}: {translated!r}")
    assert not wrong, f"placeholders differ from the msgid: {wrong}"


def test_mo_says_what_the_po_says(messages: list[Entry]) -> None:
    """The committed .mo is compiled from the current .po (run `khru compilemessages -l th` after editing)."""
    assert MO.exists(), f"{MO} is missing: run `khru compilemessages -l th` in src/khru"
    with MO.open("rb") as file:
        compiled = gnu_gettext.GNUTranslations(file)
    assert compiled.info().get("plural-forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    stale = []
    for e in messages:
        if e.msgid_plural is not None and e.msgctxt:
            found = compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
        elif e.msgid_plural is not None:
            found = compiled.ngettext(e.msgid, e.msgid_plural, 1)
        elif e.msgctxt:
            found = compiled.pgettext(e.msgctxt, e.msgid)
        else:
            found = compiled.gettext(e.msgid)
        if found != e.msgstr[0]:
            stale.append(f"{e}: .mo has {found!r}")
    assert not stale, f"django.mo is older than django.po: {stale}"
    in_mo = {key for key in compiled._catalog if key != ""}  # type: ignore[attr-defined]
    assert len(in_mo) == len(messages), "django.mo has entries that django.po no longer has"


def test_django_loads_the_thai_catalogue() -> None:
    with translation.override("th"):
        thai = translation.gettext("Sign in to Khru")
        assert thai != "Sign in to Khru" and "เข้าสู่ระบบ" in thai
        assert translation.ngettext(
            "%(counter)s problem: nothing will be imported until the file is corrected.",
            "%(counter)s problems: nothing will be imported until the file is corrected.",
            3,
        ).startswith("พบปัญหา")
    with translation.override("en"):
        assert translation.gettext("Sign in to Khru") == "Sign in to Khru"


@pytest.mark.django_db
def test_login_page_is_thai_and_english_on_request(client) -> None:
    with translation.override("th"):
        heading_th = translation.gettext("Sign in to Khru")
        password_th = translation.gettext("Password")  # Django's own Thai catalogue
    thai = client.get(reverse("web:login")).content.decode()
    assert 'lang="th"' in thai
    assert heading_th in thai and password_th in thai
    for english in ("Sign in", "Username or citizen ID", "Password"):
        assert english not in thai, f"{english!r} is still English on the Thai login page"

    client.post(reverse("set_language"), {"language": "en", "next": reverse("web:login")})
    english_page = client.get(reverse("web:login")).content.decode()
    assert 'lang="en"' in english_page
    assert "Sign in to Khru" in english_page and heading_th not in english_page
