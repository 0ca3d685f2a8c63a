"""A user installs the package, not the repository: the wheel must carry what the code loads at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_styles_and_migrations(tmp_path: Path) -> None:
    # Build from a clean copy: an in-place build would reuse the checkout's build/ directory.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "amtui", source / "amtui", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path),
         str(source)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("amtui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "amtui"
    needed = [
        path.relative_to(ROOT).as_posix()
        for pattern in (
            "**/*.tcss",
            "migrations/**/*.py",
            "migrations/*.mako",
            "locale/**/*.po",
            "locale/**/*.mo",
            "templates/*/*",
        )
        for path in package.glob(pattern)
    ]
    assert len([name for name in needed if name.endswith(".tcss")]) >= 10
    assert "amtui/migrations/versions/0001_initial_schema.py" in needed
    for language in ("ru", "it"):
        assert f"amtui/locale/{language}/LC_MESSAGES/amtui.mo" in needed
        assert f"amtui/templates/{language}/report.md" in needed
    missing = sorted(set(needed) - names)
    assert not missing, f"not in the wheel: {missing}"
