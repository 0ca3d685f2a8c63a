#!/usr/bin/env python3
"""Set up and run amtui with nothing but Python 3.11+.

    python3 dev.py demo    # venv + install + a fresh demo database + the TUI
    python3 dev.py test    # venv + install + lint + type check + the whole test suite

The virtual environment lives in .venv and is reinstalled when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("AMTUI_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
DEMO_DB = ROOT / "data" / "demo.db"


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py may be started by an older python3)
        sys.exit(f"amtui needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"Creating the virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / ".amtui-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]")
    stamp.write_text(wanted)


def demo(extra: list[str]) -> None:
    ensure_env()
    # A fresh demo every time: its dates are relative to today. It never touches your own database.
    run(BIN / "amtui", "--db", DEMO_DB, "demo", "--force")
    os.execv(str(BIN / "amtui"), [str(BIN / "amtui"), "--db", str(DEMO_DB), *extra])


def test(extra: list[str]) -> None:
    ensure_env()
    run(BIN / "ruff", "check", "amtui", "tests", "bench", "tools", "dev.py")
    run(BIN / "ruff", "format", "--check", "amtui", "tests", "bench", "tools", "dev.py")
    # mypy runs beside the tests, not before them: ~20 s of one core on a fresh venv (its cache,
    # .mypy_cache, makes later runs ~1 s), while the tests' workers wait on Pilot pauses now and then.
    print(f"+ {BIN / 'mypy'} amtui  (beside the tests; its report follows theirs)", flush=True)
    mypy = subprocess.Popen(
        [str(BIN / "mypy"), "amtui"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    # Every core (pytest-xdist); AMTUI_TEST_WORKERS=0 runs in one process. The PostgreSQL tests share
    # one worker and its server (tests/conftest.py marks them).
    workers = os.environ.get("AMTUI_TEST_WORKERS", "auto")
    parallel = ["-n", workers, "--dist", "loadgroup"] if workers != "0" else []
    pytest = [str(BIN / "pytest"), *parallel, *extra]
    print("+", " ".join(pytest), flush=True)
    tests = subprocess.run(pytest, cwd=ROOT)
    typed = mypy.communicate()[0]
    print("+ mypy amtui:", typed.rstrip(), flush=True)
    if mypy.returncode != 0:
        sys.exit(mypy.returncode)
    if tests.returncode != 0:
        sys.exit(tests.returncode)


def main() -> None:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
