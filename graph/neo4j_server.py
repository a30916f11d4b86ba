"""A local Neo4j Community server, provisioned from Maven Central, for machines without a Docker engine."""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import StoreUnavailable
from graph.settings import Settings

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
# What the official 5.26 neo4j.conf ships as server.jvm.additional: only Neo4j's launcher script reads
# that setting, and this module starts the JVM itself.
JVM_FLAGS = (
    *("-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+AlwaysPreTouch", "-XX:+DisableExplicitGC"),
    *("-XX:+UnlockExperimentalVMOptions", "-XX:+TrustFinalNonStaticFields"),
    *("-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true"),
    *("-Djdk.tls.ephemeralDHKeySize=2048", "-Djdk.tls.rejectClientInitiatedRenegotiation=true"),
    *("--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED"),
    *("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dlog4j2.disable.jmx=true"),
)
CONF = """\
# Written by finess-graph (graph/neo4j_server.py) at every start: edits are lost.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{port}
server.bolt.advertised_address=127.0.0.1:{port}
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
db.transaction.timeout=120s
# How often the server looks for transactions past their timeout (2 s by default): the API's per-query
# timeout (10 s) is then kept to within a tenth of a second rather than two seconds.
db.transaction.monitor.check.interval=100ms
# Recovery needs only the latest log; older ones would take more disk than the database.
db.tx_log.rotation.retention_policy=512M size
# Sized for a 2-core, 24 GiB machine that also runs the tests and the app: the page cache holds a
# national database (4.8 GB), so that a traversal never waits for the disk.
server.memory.heap.initial_size={heap}
server.memory.heap.max_size={heap}
server.memory.pagecache.size={page_cache}
"""

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    """Ignore a progress message."""


def _require(tool: str, purpose: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise StoreUnavailable(f"{tool} is not installed or not on PATH: it is needed to {purpose}")
    return found


def _run(command: list[str], purpose: str, cwd: Path) -> None:
    result = subprocess.run(
        command, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = (result.stdout + result.stderr).strip().splitlines()
        tail = "\n".join(lines[-15:]) or "(no output)"
        raise StoreUnavailable(f"could not {purpose} (exit status {result.returncode}):\n{tail}")


def _is_server(pid: int, home: Path) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.parent.is_dir():
        return True  # no /proc to tell a reused pid apart: trust the signal
    try:
        args = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    # A pid reused by another program, or a zombie (empty command line), is not this home's server.
    return f"--home-dir={home}".encode() in args


@dataclass
class LocalNeo4j:
    """A Neo4j Community server in one home folder: its conf, data, logs, pid file and password."""

    home: Path
    port: int = 7687
    version: str = "5.26.30"
    lib_dir: Path | None = None
    heap: str = "3g"
    page_cache: str = "6g"
    java: str = "java"
    mvn: str = "mvn"
    start_timeout: float = 180.0
    stop_timeout: float = 60.0
    lib: Path = field(init=False)
    conf_file: Path = field(init=False)
    pid_file: Path = field(init=False)
    password_file: Path = field(init=False)
    log_file: Path = field(init=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalNeo4j:
        """Return the server that the settings describe."""
        return cls(Path(settings.neo4j_home), settings.neo4j_port, settings.neo4j_version)

    def __post_init__(self) -> None:
        # Absolute, because the JVM runs in the home and finds both through its command line.
        self.home = self.home.expanduser().resolve()
        self.lib = (self.lib_dir or self.home / "lib").expanduser().resolve()  # shareable between homes
        self.conf_file = self.home / "conf" / "neo4j.conf"  # rewritten at every start
        self.pid_file = self.home / "run" / "neo4j.pid"
        self.password_file = self.home / "password"  # mode 0600
        self.log_file = self.home / "logs" / "console.log"  # the JVM's output since the latest start

    def password(self) -> str:
        """Return the password of the `neo4j` user, generating it and its 0600 file the first time."""
        if not self.password_file.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            # Created 0600 from the start: never readable by others, not even for a moment.
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                # Hex: a url-safe token may begin with "-", which neo4j-admin reads as an option.
                file.write(secrets.token_hex(24) + "\n")
        return self.password_file.read_text("utf-8").strip()

    def uri(self) -> str:
        """Return the store URI of this server, credentials included."""
        return f"bolt://neo4j:{self.password()}@127.0.0.1:{self.port}"

    def pid(self) -> int | None:
        """Return the pid of this home's running server, or None (forgetting a stale pid file)."""
        try:
            pid = int(self.pid_file.read_text("utf-8").strip())
        except FileNotFoundError:
            return None
        except ValueError:
            pid = 0
        if pid > 0 and _is_server(pid, self.home):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def status(self) -> str:
        """Say whether the server runs, with its pid and URI."""
        pid = self.pid()
        if pid is None:
            return f"stopped (home {self.home})"
        return f"running (pid {pid}) at {self.uri()}"

    def provision(self, progress: Progress = _quiet) -> bool:
        """Copy Neo4j's runtime jars from Maven Central into the lib folder unless there; True if it did."""
        jar = f"neo4j-{self.version}.jar"
        if (self.lib / jar).is_file():
            return False
        mvn = _require(self.mvn, "provision Neo4j from Maven Central")
        progress(f"provisioning Neo4j {self.version} from Maven Central into {self.lib} (~125 MB, once)")
        self.lib.parent.mkdir(parents=True, exist_ok=True)
        partial = self.lib.with_name(self.lib.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        pom = importlib.resources.files("graph").joinpath("data/neo4j/pom.xml").read_bytes()
        with tempfile.TemporaryDirectory(prefix="finess-neo4j-") as tmp:
            (Path(tmp) / "pom.xml").write_bytes(pom)
            command = [mvn, "-B", "-q", "-Dstyle.color=never", "-f", str(Path(tmp) / "pom.xml")]
            command += [f"-Dneo4j.version={self.version}", f"-Dneo4j.lib={partial}"]
            _run([*command, "dependency:copy-dependencies"], "provision Neo4j from Maven Central", Path(tmp))
        if not (partial / jar).is_file():
            raise StoreUnavailable(f"Maven copied no {jar} into {partial}: check the pom and the version")
        # Jars of another version are replaced whole: two versions on one classpath clash.
        shutil.rmtree(self.lib, ignore_errors=True)
        partial.rename(self.lib)
        return True

    def start(self, progress: Progress = _quiet) -> str:
        """Start the server unless it runs, return once Bolt answers an authenticated query; give its URI."""
        pid = self.pid()
        if pid is not None:
            progress(f"Neo4j is already running (pid {pid}, home {self.home})")
            return self.uri()
        java = _require(self.java, "run Neo4j")
        self.provision(progress)
        try:  # with SO_REUSEADDR (create_server's default), only a listening socket makes this fail
            socket.create_server(("127.0.0.1", self.port)).close()
        except OSError as exc:
            message = f"port {self.port} on 127.0.0.1 cannot be used ({os.strerror(exc.errno or 0)})"
            raise StoreUnavailable(f"{message}: choose another with FINESS_GRAPH_NEO4J_PORT") from None
        password = self.password()
        self._write_conf()
        classpath = f"{self.lib}/*"
        if not (self.home / "data" / "databases" / "system").exists():
            # The initial password takes effect only before the system database is first created.
            progress("setting the initial password")
            # env(1) adds the two variables AdminTool requires to the inherited environment.
            env = ["env", f"NEO4J_HOME={self.home}", f"NEO4J_CONF={self.conf_file.parent}"]
            admin = [java, "-cp", classpath, ADMIN_TOOL, "dbms", "set-initial-password", password]
            _run([*env, *admin], "set Neo4j's initial password", self.home)
        progress(f"starting Neo4j {self.version} on 127.0.0.1:{self.port} (home {self.home})")
        for folder in (self.log_file.parent, self.pid_file.parent):
            folder.mkdir(parents=True, exist_ok=True)
        memory = [f"-Xms{self.heap}", f"-Xmx{self.heap}"]
        server = [ENTRY_POINT, f"--home-dir={self.home}", f"--config-dir={self.conf_file.parent}"]
        with self.log_file.open("wb") as log:
            process = subprocess.Popen(
                [java, *memory, *JVM_FLAGS, "-cp", classpath, *server],
                cwd=self.home,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # outlives the command that started it, deaf to its Ctrl-C
            )
        self.pid_file.write_text(f"{process.pid}\n", "utf-8")
        try:
            self._wait_until_ready(process, password)
        except BaseException:
            self.stop()
            raise
        progress(f"Neo4j is ready (pid {process.pid})")
        return self.uri()

    def stop(self, progress: Progress = _quiet) -> int | None:
        """Stop the server (SIGTERM, then SIGKILL after the stop timeout); return its pid, None if stopped."""
        pid = self.pid()
        if pid is None:
            return None
        progress(f"stopping Neo4j (pid {pid})")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not self._wait_gone(pid, self.stop_timeout):
            progress(f"Neo4j did not stop within {self.stop_timeout:.0f} s: killing it")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid, 10.0)
        self.pid_file.unlink(missing_ok=True)
        return pid

    def _wait_gone(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            try:  # a server that this process started is gone only once reaped, or it lingers as a zombie
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return True
            except ChildProcessError:
                if not _is_server(pid, self.home):
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)

    def _write_conf(self) -> None:
        self.conf_file.parent.mkdir(parents=True, exist_ok=True)
        conf = CONF.format(port=self.port, heap=self.heap, page_cache=self.page_cache)
        self.conf_file.write_text(conf, "utf-8")

    def _log_excerpt(self) -> str:
        # The JVM writes to the console only when it fails early; Neo4j logs everything else itself.
        for log in (self.log_file, self.home / "logs" / "neo4j.log"):
            with contextlib.suppress(OSError):
                lines = log.read_text("utf-8", errors="replace").strip().splitlines()
                if lines:
                    return f"the last lines of {log}:\n" + "\n".join(line[:240] for line in lines[-12:])
        return f"{self.log_file} is empty"

    def _wait_until_ready(self, process: subprocess.Popen[bytes], password: str) -> None:
        try:
            from neo4j import GraphDatabase
            from neo4j.exceptions import AuthError, DriverError, Neo4jError
        except ImportError:
            raise StoreUnavailable("the neo4j Python driver is not installed (pip install neo4j)") from None
        url = f"bolt://127.0.0.1:{self.port}"
        deadline = time.monotonic() + self.start_timeout
        while True:
            if process.poll() is not None:
                raise StoreUnavailable(
                    f"Neo4j stopped with status {process.returncode} while starting; {self._log_excerpt()}"
                )
            try:
                with GraphDatabase.driver(url, auth=("neo4j", password), connection_timeout=5.0) as driver:
                    driver.verify_connectivity()
                    driver.execute_query("RETURN 1")
                return
            except AuthError:
                fix = f"it was set at the first start; remove {self.home / 'data'} to start afresh"
                raise StoreUnavailable(f"Neo4j refuses the password in {self.password_file}: {fix}") from None
            except (DriverError, Neo4jError, OSError):
                pass  # not listening yet, or its databases still starting
            if time.monotonic() > deadline:
                raise StoreUnavailable(
                    f"Neo4j did not answer on {url} within {self.start_timeout:.0f} s; {self._log_excerpt()}"
                )
            time.sleep(0.5)
