"""The embedded Elasticsearch node for development and tests (`marsad es start|stop|status`).

Elasticsearch 9's integ-test-zip comes from Maven Central through `mvn` and is cached outside
the repository; the node runs on Java 21+, bound to 127.0.0.1, with security off (this local
node only), its data, logs and config under the project's state directory. Under root it runs
as an unprivileged user, because Elasticsearch refuses to run as root. The Arabic analysis
filters the integ-test-zip lacks come from our small plugin in `marsad/elastic/plugin/`.

The pid file is only trusted for a process that is provably this node: a live Elasticsearch JVM
(`org.elasticsearch.bootstrap.Elasticsearch`) whose temp folder is this state dir's and whose
home is one of the nodes marsad unpacked in its cache. Anything else (a dead pid, a pid reused by
another program, a pid written into the file by someone else) makes the file stale: it is
removed, said so, and nothing is signalled.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import httpx

from marsad.config import Settings
from marsad.elastic.java import MissingTool, find_java_home, find_maven

CLUSTER_NAME = "marsad-local"
ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
PLUGIN_SRC = Path(__file__).resolve().parent / "plugin"  # shipped inside the package
PROC = Path("/proc")
MAIN_CLASS = "org.elasticsearch.bootstrap.Elasticsearch"  # the server JVM's main class
PID_MAX = 4_194_304  # Linux's PID_MAX_LIMIT; 0, 1 and negative numbers are never a node


class EmbeddedError(RuntimeError):
    """The embedded node could not be prepared, started or reached; one-line reason."""


@dataclass
class NodeStatus:
    running: bool
    url: str
    pid: int | None = None
    version: str | None = None
    health: str | None = None
    detail: str | None = None


def _run(cmd: list[str], what: str, **kwargs) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "ERROR" in ln]
        tail = (lines or (proc.stdout + proc.stderr).strip().splitlines() or ["no output"])[-1]
        raise EmbeddedError(f"{what} failed (exit {proc.returncode}): {tail.strip()[:300]}")


def process_args(pid: int) -> list[str] | None:
    """The command line of a live process from /proc, or None (gone, a zombie, unreadable)."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    args = [os.fsdecode(arg) for arg in raw.split(b"\0")]
    while args and not args[-1]:
        args.pop()
    return args or None  # a zombie's command line is empty


def _system_properties(args: list[str]) -> dict[str, str]:
    """The JVM's `-Dname=value` options."""
    return dict(a[2:].split("=", 1) for a in args if a.startswith("-D") and "=" in a)


def _same_path(a: str | Path, b: str | Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def _pidfd(pid: int) -> int | None:
    """A pidfd pinning the process (Linux 5.3+): a pid reused after this is never signalled."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _signal(pid: int, pidfd: int | None, sig: signal.Signals) -> None:
    if pidfd is not None:
        signal.pidfd_send_signal(pidfd, sig)
    else:
        os.kill(pid, sig)


def _tree_digest(root: Path) -> str:
    """Hash of the plugin sources, so an edited plugin is rebuilt and reinstalled."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "target" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


class EmbeddedNode:
    """One local single-node cluster, reused across commands while it runs."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.version = settings.es_version
        self.url = f"http://127.0.0.1:{settings.es_port}"
        self.state = (settings.state_dir / "elasticsearch").resolve()
        self.cache = self._cache_root(settings)
        self.pidfile = self.state / "node.pid"
        self.stale: str | None = None  # why the last stale pid file was removed, if one was

    @cached_property
    def digest(self) -> str:
        """Plugin source hash; only computed when preparing a node, not on every connect."""
        return _tree_digest(PLUGIN_SRC)

    @cached_property
    def home(self) -> Path:
        """One unpacked home per (version, plugin sources): rebuilds never touch a running node."""
        return (
            self.cache / "nodes" / f"{self.version}-{self.digest}" / f"elasticsearch-{self.version}"
        )

    @staticmethod
    def _cache_root(settings: Settings) -> Path:
        if settings.cache_dir:
            return settings.cache_dir.resolve()
        if os.geteuid() == 0:  # the node's user must read it, and /root is private
            return Path("/var/cache/marsad")
        return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "marsad"

    # -- preparing the distribution -------------------------------------------------------
    def _download(self) -> Path:
        target = self.cache / "downloads"
        archive = target / f"elasticsearch-{self.version}.zip"
        if archive.is_file():
            return archive
        target.mkdir(parents=True, exist_ok=True)
        print(f"marsad: fetching Elasticsearch {self.version} through Maven …", flush=True)
        _run(
            [
                find_maven(), "-q", "-B", f"{DEPENDENCY_PLUGIN}:copy",
                f"-Dartifact={ARTIFACT.format(version=self.version)}",
                f"-DoutputDirectory={target}", "-Dmdep.useBaseVersion=true",
            ],
            f"fetching {ARTIFACT.format(version=self.version)} with Maven",
        )  # fmt: skip
        if not archive.is_file():
            raise EmbeddedError(f"Maven reported success but {archive} is missing")
        return archive

    def _build_plugin(self, digest: str) -> Path:
        out = self.cache / "plugins" / f"{self.version}-{digest}"
        built = sorted(out.glob("*.zip"))
        if built:
            return built[0]
        print("marsad: building the Arabic analysis plugin with Maven …", flush=True)
        source = self._plugin_copy(digest)  # the installed package may be read-only
        cmd = [find_maven(), "-q", "-B", "-f", str(source / "pom.xml"), "clean", "package",
               f"-Delasticsearch.version={self.version}"]  # fmt: skip
        env = dict(os.environ)
        try:
            env["JAVA_HOME"] = str(find_java_home(self.settings.java_home, need_javac=True))
        except MissingTool:  # no JDK 21+: Maven's own Java compiles with the Eclipse compiler
            cmd.append("-Pecj")
        _run(cmd, f"building the plugin in {source} with Maven", env=env)
        zips = sorted((source / "target").glob(f"*-{self.version}.zip"))
        if not zips:
            raise EmbeddedError(f"the plugin build produced no zip in {source / 'target'}")
        out.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(zips[0], out / zips[0].name))

    def _plugin_copy(self, digest: str) -> Path:
        """A writable copy of the shipped plugin sources to build in (never the package)."""
        copy = self.cache / "plugin-src" / digest
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(PLUGIN_SRC, copy, ignore=shutil.ignore_patterns("target"))
        return copy

    def prepare(self) -> Path:
        """Unpack the distribution and install the plugin, once per version and plugin source."""
        marker = self.home / ".marsad-ready"
        if marker.is_file():
            return self.home
        archive = self._download()
        plugin = self._build_plugin(self.digest)
        if self.home.exists():  # a half-finished earlier attempt
            shutil.rmtree(self.home)
        print(f"marsad: unpacking {archive.name} into {self.home} …", flush=True)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(self.home.parent)
        for tool in (self.home / "bin").iterdir():
            tool.chmod(0o755)
        (self.home / "jdk").mkdir(exist_ok=True)  # silence the "no bundled JDK" probe
        env = {**os.environ, "ES_JAVA_HOME": str(self._java())}
        _run(
            [str(self.home / "bin" / "elasticsearch-plugin"), "install", "--batch",
             plugin.as_uri()],
            f"installing {plugin.name} into Elasticsearch", env=env,
        )  # fmt: skip
        for folder in (self.cache, self.cache / "nodes"):
            folder.chmod(folder.stat().st_mode | 0o555)
        self._make_readable(self.home.parent)
        marker.write_text(plugin.name)
        return self.home

    # -- user, permissions, config ------------------------------------------------------------
    def _java(self) -> Path:
        return find_java_home(self.settings.java_home)

    def _node_user(self) -> pwd.struct_passwd | None:
        if os.geteuid() != 0:
            return None
        name = self.settings.es_user
        try:
            return pwd.getpwnam(name)
        except KeyError:
            _run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                f"creating the unprivileged user {name}",
            )
            return pwd.getpwnam(name)

    @staticmethod
    def _make_readable(root: Path) -> None:
        """World-readable files and traversable folders, so the node's user can load them."""
        for path in [root, *root.rglob("*")]:
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            path.chmod(mode | (0o555 if path.is_dir() else 0o444))

    def _open_path_for(self, user: pwd.struct_passwd, target: Path) -> None:
        """Let the node's user traverse the folders above its state dir (search bit only)."""
        for parent in reversed(target.parents):
            mode = parent.stat().st_mode
            if not mode & 0o001:
                print(f"marsad: adding o+x to {parent} so {user.pw_name} can reach {target}")
                parent.chmod(mode | 0o001)

    def _write_config(self, user: pwd.struct_passwd | None) -> dict[str, str]:
        conf, data, logs, tmp = (self.state / d for d in ("config", "data", "logs", "tmp"))
        if not conf.exists():
            shutil.copytree(self.home / "config", conf)
        for folder in (data, logs, tmp, conf / "jvm.options.d"):
            folder.mkdir(parents=True, exist_ok=True)
        (conf / "elasticsearch.yml").write_text(
            "\n".join(
                [
                    f"cluster.name: {CLUSTER_NAME}",
                    "node.name: marsad-local-1",
                    f"path.data: {data}",
                    f"path.logs: {logs}",
                    "network.host: 127.0.0.1",
                    f"http.port: {self.settings.es_port}",
                    "discovery.type: single-node",
                    "xpack.security.enabled: false",  # this loopback-only dev node only
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    "action.destructive_requires_name: false",
                    "",
                ]
            )
        )
        heap = self.settings.es_heap
        (conf / "jvm.options.d" / "marsad.options").write_text(f"-Xms{heap}\n-Xmx{heap}\n")
        if user:
            self._open_path_for(user, self.state)
            for path in [self.state, *self.state.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
        return {
            "ES_JAVA_HOME": str(self._java()),
            "ES_PATH_CONF": str(conf),
            "ES_TMPDIR": str(tmp),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
        }

    # -- lifecycle ------------------------------------------------------------------------------
    def _probe(self) -> dict | None:
        """Cluster health (the integ-test-zip answers 405 to `GET /`), or None if silent."""
        try:
            return httpx.get(f"{self.url}/_cluster/health", timeout=2).json()
        except (httpx.HTTPError, ValueError):
            return None

    def _version(self) -> str | None:
        nodes = httpx.get(f"{self.url}/_nodes/_local", timeout=5).json().get("nodes", {})
        return next((n.get("version") for n in nodes.values()), None)

    def _pid(self) -> int | None:
        """The pid in the pid file when it is this node's live Elasticsearch, else None.

        A pid file naming anything else is stale: it is removed and said so (`self.stale`).
        """
        try:
            text = self.pidfile.read_text().strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._stale(f"cannot be read ({exc.strerror})")
            return None
        if not (text.isascii() and text.isdigit() and 1 < int(text) <= PID_MAX):
            self._stale(f"does not hold a process id ({text[:20]!r})")
            return None
        pid = int(text)
        reason = self.not_this_node(pid)
        if reason:
            self._stale(f"names pid {pid}, which {reason}")
            return None
        return pid

    def not_this_node(self, pid: int) -> str | None:
        """None when `pid` is this node's Elasticsearch JVM; else the reason it is not."""
        args = process_args(pid)
        if args is None:
            return "is not running"
        if not any(a == MAIN_CLASS or a.endswith("/" + MAIN_CLASS) for a in args):
            return f"is not Elasticsearch ({' '.join(' '.join(args).split())[:80]})"
        props = _system_properties(args)
        tmp, home = props.get("java.io.tmpdir"), props.get("es.path.home")
        if not tmp or not _same_path(tmp, self.state / "tmp"):
            return f"is an Elasticsearch of another state dir (temp folder {tmp})"
        if not home or not _same_path(Path(home).parent.parent, self.cache / "nodes"):
            return f"is an Elasticsearch marsad did not unpack (home {home})"
        return None

    def _stale(self, reason: str) -> None:
        """Remove a pid file that does not name this node, and say so; nothing is signalled."""
        try:
            self.pidfile.unlink(missing_ok=True)
            done = "removed it"
        except OSError as exc:
            done = f"could not remove it: {exc.strerror}"
        self.stale = f"stale pid file {self.pidfile}: it {reason}; {done}, signalled nothing"
        print(f"marsad: {self.stale}", file=sys.stderr, flush=True)

    def status(self) -> NodeStatus:
        info = self._probe()
        if not info:
            return NodeStatus(False, self.url, pid=self._pid(), detail="not answering")
        return NodeStatus(
            True, self.url, self._pid(), self._version(), info.get("status"),
            info.get("cluster_name"),
        )  # fmt: skip

    def start(self, timeout: float = 240) -> NodeStatus:
        """Start the node, or reuse it when it already answers; wait for a usable cluster."""
        info = self._probe()
        if info:
            if info.get("cluster_name") != CLUSTER_NAME:
                raise EmbeddedError(
                    f"{self.url} is another Elasticsearch ({info.get('cluster_name')}): "
                    "set MARSAD_ES_URL to use it, or MARSAD_ES_PORT for the embedded node"
                )
            return self._wait_healthy(timeout)
        pid = self._pid()
        if pid:  # our JVM is alive but not answering yet: starting, or busy; never start twice
            print(f"marsad: Elasticsearch (pid {pid}) is already running from {self.state}; "
                  "waiting for it …", flush=True)  # fmt: skip
            return self._wait_healthy(timeout)
        self.prepare()
        user = self._node_user()
        env = self._write_config(user)
        print(f"marsad: starting Elasticsearch {self.version} on {self.url} …", flush=True)
        with open(self.state / "logs" / "startup.out", "ab") as out:
            proc = subprocess.Popen(
                [str(self.home / "bin" / "elasticsearch"), "-d", "-p", str(self.pidfile)],
                env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                user=user.pw_uid if user else None, group=user.pw_gid if user else None,
                start_new_session=True, cwd=self.state,
            )  # fmt: skip
            code = proc.wait(timeout=timeout)
        if code != 0:
            raise EmbeddedError(f"Elasticsearch exited with {code}: {self._last_error()}")
        return self._wait_healthy(timeout)

    def _wait_healthy(self, timeout: float) -> NodeStatus:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                health = httpx.get(
                    f"{self.url}/_cluster/health", params={"wait_for_status": "yellow"}, timeout=10
                )
                if health.status_code == 200:
                    return self.status()
            except httpx.HTTPError:
                pass
            if not self._pid() and not self._probe():
                time.sleep(2)
                if not self._pid():
                    raise EmbeddedError(
                        f"Elasticsearch stopped while starting: {self._last_error()}"
                    )
            time.sleep(1)
        raise EmbeddedError(f"Elasticsearch not healthy after {timeout:.0f}s: {self._last_error()}")

    def _last_error(self) -> str:
        logs = self.state / "logs"
        for name in (f"{CLUSTER_NAME}.log", "startup.out"):
            path = logs / name
            if path.is_file():
                lines = path.read_text(errors="replace").splitlines()
                errors = [ln for ln in lines if "ERROR" in ln or "Exception" in ln]
                if errors:
                    return f"{errors[-1].strip()[:400]} (see {path})"
        return f"no error logged (see {logs})"

    def stop(self, timeout: float = 60) -> bool:
        """Stop our node; True when one was running. A stale pid file is removed, not signalled."""
        pid = self._pid()
        if not pid:
            return False
        pidfd = _pidfd(pid)
        try:
            reason = self.not_this_node(pid)  # again, now that the pidfd pins the process
            if reason:
                self._stale(f"names pid {pid}, which {reason}")
                return False
            try:
                _signal(pid, pidfd, signal.SIGTERM)
                deadline = time.monotonic() + timeout
                while not self.not_this_node(pid):
                    if time.monotonic() > deadline:
                        _signal(pid, pidfd, signal.SIGKILL)
                        break
                    time.sleep(0.5)
            except ProcessLookupError:  # it ended on its own meanwhile
                pass
            except PermissionError as exc:
                raise EmbeddedError(
                    f"not permitted to stop Elasticsearch (pid {pid}): run as root or as the "
                    f"node's user ({exc.strerror})"
                ) from None
        finally:
            if pidfd is not None:
                os.close(pidfd)
        self.pidfile.unlink(missing_ok=True)
        return True
