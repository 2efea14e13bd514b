"""Office files that cannot be read: an old binary format or a broken zip is an
error that names the file and says why, and read_corpus keeps every other file."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pybudget
import pytest
from conftest import seed_path
from pybudget import ParseError

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # an OLE compound file with nothing in it


@pytest.mark.parametrize("old, old_says, new, code", [
    ("old.xls", r"old\.xls: cannot read the workbook: ", "broken.xlsx", "XLSX"),
    ("old.doc", r"old\.doc: a Word 97-2003 document \(\.doc\); save it as \.docx", "broken.docx", "DOCX"),
])
def test_unreadable_office_files_are_errors_that_say_why(tmp_path, old, old_says, new, code):
    legacy = tmp_path / old
    legacy.write_bytes(OLE_HEADER)
    with pytest.raises(ParseError, match=old_says):
        pybudget.parse(legacy)
    broken = tmp_path / new
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("nothing.xml", "<x/>")
    with pytest.raises(ParseError, match=rf"{new.replace('.', '[.]')}: cannot read the "):
        pybudget.parse(broken)
    corpus = pybudget.read_corpus([legacy, broken, seed_path("002")], workers=1, progress=False)
    assert [(Path(s).name, c) for s, c in zip(corpus.errors.source, corpus.errors.code)] == [
        (old, code), (new, code)]
    assert set(corpus.items.doc_id) == {2}
    assert list(zip(corpus.documents.doc_id, corpus.documents.department)) == [(2, "稷山县医疗保障局")]
