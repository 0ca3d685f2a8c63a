"""Files amtui writes (exports, the digest, backups): never through a symlink or over a file unasked,
private, whole or not at all (issue 11)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def filled(cli):  # type: ignore[no-untyped-def]
    assert cli("client", "add", "ООО «Ромашка»", "--city", "Казань").exit_code == 0
    return cli


@pytest.mark.parametrize("name", ["clients.csv", "clients.xlsx", "clients.json"])
def test_an_export_is_private_and_replaces_a_file_only_with_force(filled, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out" / name
    target.parent.mkdir()
    first = filled("export", "clients", "-o", str(target))
    assert first.exit_code == 0, first.output
    assert _mode(target) == 0o600
    written = target.read_bytes()
    target.write_bytes(b"keep me")
    again = filled("export", "clients", "-o", str(target))
    assert again.exit_code == 1
    assert f"amtui: error: {target} already exists: add --force to replace it" in again.output
    assert target.read_bytes() == b"keep me"
    forced = filled("export", "clients", "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes()[:2] == written[:2] and _mode(target) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == [name]


def test_a_symlink_at_the_partial_name_is_never_followed(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "clients.csv"
    for partial in (tmp_path / "clients.csv.partial", tmp_path / ".clients.csv.partial"):
        partial.symlink_to(victim)
    result = filled("export", "clients", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious"
    assert "Ромашка" in target.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("command", [("export", "clients"), ("digest",)])
def test_output_to_a_folder_or_nowhere_is_a_clear_error(filled, tmp_path: Path, command) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "folder"
    folder.mkdir()
    for output, message in (
        (str(folder), f"{folder}: is a folder; give a file name"),
        ("", "--output: give a file name"),
        (str(tmp_path / "missing" / "x.csv"), f"{tmp_path / 'missing'}: no such folder"),
    ):
        result = filled(*command, "-o", output)
        assert result.exit_code == 1, result.output
        assert result.output.strip() == f"amtui: error: {message}"
    assert list(folder.iterdir()) == []
    assert not (tmp_path / "missing").exists()


def test_a_failed_export_leaves_nothing_behind(filled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from amtui.formats import exporters

    def broken(rows, handle, **_options):  # type: ignore[no-untyped-def]
        handle.write("half a file")
        raise OSError(28, "No space left on device", "clients.csv")

    monkeypatch.setattr(exporters, "write_csv", broken)
    target = tmp_path / "clients.csv"
    target.write_text("old")
    result = filled("export", "clients", "-o", str(target), "--force")
    assert result.exit_code == 1
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if "clients" in p.name) == ["clients.csv"]


def test_the_digest_file_is_rewritten_privately_and_never_through_a_symlink(filled, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "digest.txt"
    (tmp_path / ".digest.txt.partial").symlink_to(victim)
    for _run in range(2):  # cron rewrites it every morning
        result = filled("digest", "-o", str(target))
        assert result.exit_code == 0, result.output
    assert _mode(target) == 0o600 and target.read_text()
    assert victim.read_text() == "precious"


def test_backup_of_a_folder_is_a_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from amtui.cli import app

    folder = tmp_path / "db-folder"
    folder.mkdir()
    target = tmp_path / "copy.db"
    result = CliRunner().invoke(app, ["--db", str(folder), "backup", str(target)])
    assert result.exit_code == 1
    assert result.output.strip() == f"amtui: error: {folder}: not a database file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db-folder"]
    assert list(folder.iterdir()) == []


def test_backup_into_a_folder_is_a_clear_error(cli, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "Ромашка")
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli("backup", str(folder))
    assert result.exit_code == 1
    assert result.output.strip() == f"amtui: error: {folder}: is a folder; give a file name for the backup"
    assert list(folder.iterdir()) == []
    written = cli("backup", str(folder / "copy.db"))
    assert written.exit_code == 0
    assert _mode(folder / "copy.db") == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["copy.db"]
