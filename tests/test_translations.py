"""Every string marked for translation exists, translated, in Russian and Lithuanian."""

import os
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGES = ["ru", "lt"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Run makemessages over a copy of the sources and of locale/, so the repo is untouched.

    (makemessages writes next to the files it scans, so it must run in the copy.)
    msgmerge carries the committed translations over; a string marked in the code
    but missing from the committed .po then shows up here as untranslated.
    """
    root = tmp_path_factory.mktemp("i18n") / "src"
    skip = shutil.ignore_patterns(".venv", "var", "staticfiles", "tests", "docs", ".git", "__pycache__", "*.mo")
    shutil.copytree(settings.BASE_DIR, root, ignore=skip)
    original, cwd = settings.LOCALE_PATHS, Path.cwd()
    settings.LOCALE_PATHS = [root / "locale"]
    try:
        os.chdir(root)
        call_command("makemessages", locale=LANGUAGES, no_obsolete=True, verbosity=0)
    finally:
        os.chdir(cwd)
        settings.LOCALE_PATHS = original
    return root / "locale"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_marked_string_is_untranslated_or_fuzzy(extracted, lang):
    po = polib.pofile(str(extracted / lang / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert missing == [], f"untranslated in {lang}: {missing[:20]}"
    assert fuzzy == [], f"fuzzy in {lang}: {fuzzy[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_mo_matches_the_po(lang):
    directory = settings.BASE_DIR / "locale" / lang / "LC_MESSAGES"
    po = polib.pofile(str(directory / "django.po"))
    mo = polib.mofile(str(directory / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (
            entry.msgstr,
            tuple(sorted(entry.msgstr_plural.items())),
        ), f"{lang}: .mo is stale for {entry.msgid!r}; run `make messages`"
