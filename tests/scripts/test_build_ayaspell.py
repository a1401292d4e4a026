"""scripts/build_ayaspell.py reads Ayaspell's four parts into word-class tags per stem."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_ayaspell.py"
spec = importlib.util.spec_from_file_location("build_ayaspell", SCRIPT)
build_ayaspell = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_ayaspell)

# The shape of ar.dic: a count line, then parts headed by "::::" banners and their file names.
DIC = """170812
::::::::::::::
stopwords.dic
::::::::::::::
غير
::::::::::::::
tools.dic
::::::::::::::
#####\t2
هيهات
::::::::::::::
names.dic
::::::::::::::
50000
###أسماء\t3
فرنسا/60
كبير/166
كبير/168
كتاب
::::::::::::::
verb.huns.dic
::::::::::::::
يبرح/229\t5
"""


def test_parts_become_tags_and_noun_classes_are_kept() -> None:
    table = build_ayaspell.word_classes(DIC.splitlines())
    assert table == {
        "غير": ["s"],
        "هيهات": ["t"],
        "فرنسا": ["n60"],
        "كبير": ["n166", "n168"],
        "كتاب": ["n0"],
        "يبرح": ["v"],
    }
