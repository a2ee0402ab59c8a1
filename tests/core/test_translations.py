"""Every user-visible string is translated into Finnish and Swedish (English is the source language).

The check regenerates the message catalogue from the source with Django's makemessages into a
temporary copy and compares it with the committed .po files, so a string added in code or a
template without a translation fails here.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "tila" / "locale"


def _extract(tmp_path: Path) -> set[str]:
    work = tmp_path / "tila"
    shutil.copytree(ROOT / "tila", work, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    cmd = [
        sys.executable,
        "-m",
        "django",
        "makemessages",
        "-l",
        "fi",
        "--no-obsolete",
        "--no-location",
        "--settings=tila.settings",
        "-v",
        "0",
    ]
    env = {
        "PYTHONPATH": str(tmp_path),
        "TILA_TESTING": "1",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "sqlite://:memory:",
    }
    subprocess.run(cmd, cwd=work, check=True, env=env, capture_output=True)
    catalogue = polib.pofile(str(work / "locale" / "fi" / "LC_MESSAGES" / "django.po"))
    return {_key(e) for e in catalogue if not e.obsolete}


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt or ''}\x04{entry.msgid}"


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory):
    return _extract(tmp_path_factory.mktemp("messages"))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_source_string_has_a_translation(lang, source_messages):
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    translated = {_key(e) for e in catalogue if e.translated() and "fuzzy" not in e.flags}
    missing = sorted(k.split("\x04", 1)[1] for k in source_messages - translated)
    assert missing == [], f"{len(missing)} strings lack a {lang} translation, e.g. {missing[:10]}"


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def _placeholder_problems(entry: polib.POEntry) -> list[str]:
    if not entry.msgid_plural:
        same = set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(entry.msgstr))
        return [] if same else [entry.msgid]
    singular, plural = set(PLACEHOLDER.findall(entry.msgid)), set(PLACEHOLDER.findall(entry.msgid_plural))
    forms = entry.msgstr_plural
    problems = []
    # the "one" form may leave out the count (Finnish and Swedish often do), but may not invent placeholders
    if not set(PLACEHOLDER.findall(forms.get(0, ""))) <= singular | plural:
        problems.append(entry.msgid)
    if set(PLACEHOLDER.findall(forms.get(1, ""))) != plural:
        problems.append(entry.msgid_plural)
    return problems


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_their_placeholders(lang):
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    broken = [msg for e in catalogue if e.translated() for msg in _placeholder_problems(e)]
    assert broken == []
