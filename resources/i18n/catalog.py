"""Keep the Dutch catalogue in step with the source: ``python resources/i18n/catalog.py update|compile|check``.

update  extracts every ``_``, ``N_`` and ``ngettext`` string from app/middenweg into middenweg.pot and merges it into
        nl.po (new strings arrive untranslated; old ones are kept as obsolete);
compile writes the .mo that the package ships;
check   exits non-zero when a string is missing, untranslated or fuzzy, or when the .mo is stale (the test suite runs
        the same check).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "app" / "middenweg"
POT = ROOT / "resources" / "i18n" / "middenweg.pot"
PO = ROOT / "resources" / "i18n" / "nl.po"
MO = SOURCE / "i18n" / "locale" / "nl" / "LC_MESSAGES" / "middenweg.mo"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="Middenweg", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(str(Path("app/middenweg") / filename), lineno)], auto_comments=comments,
                    context=context)  # fmt: skip
    return catalog


def load_po() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="nl")


def compiled_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def problems() -> list[str]:
    """What is wrong with the Dutch catalogue, as lines a developer can act on."""
    template = extract()
    po = load_po()
    found = []
    for message in template:
        if not message.id:
            continue
        translated = po.get(message.id, context=message.context)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations)
        if translated is None:
            found.append(f"missing in nl.po: {message.id!r} ({where})")
        elif translated.fuzzy:
            found.append(f"fuzzy in nl.po: {message.id!r}")
        elif not (all(translated.string) if isinstance(translated.string, tuple) else translated.string):
            found.append(f"untranslated in nl.po: {message.id!r}")
    if not MO.exists() or MO.read_bytes() != compiled_bytes(po):
        found.append(f"{MO.relative_to(ROOT)} is stale: run `python resources/i18n/catalog.py compile`")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        template = extract()
        with POT.open("wb") as handle:
            write_po(handle, template, width=120, omit_header=False)
        po = load_po() if PO.exists() else Catalog(locale="nl", project="Middenweg")
        po.update(template)
        with PO.open("wb") as handle:
            write_po(handle, po, width=120, include_previous=True)
        return 0
    if command == "compile":
        MO.parent.mkdir(parents=True, exist_ok=True)
        MO.write_bytes(compiled_bytes(load_po()))
        return 0
    found = problems()
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
