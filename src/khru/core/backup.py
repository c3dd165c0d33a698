"""One file that holds everything Khru keeps: the database and the uploaded/generated media.

The file is a tar archive: `manifest.json` (what it is, which database engine, the row count of every
table, the number of media files), the database (`database.sqlite3` made with SQLite's online backup API,
or `database.dump` from `pg_dump -Fc`) and `media/` (MEDIA_ROOT). Restore checks the manifest first, so a
file of the wrong kind is refused before anything is touched, and checks the counts after.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

KIND = "khru-backup"
VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup that cannot be made or a file that cannot be restored, in Thai and English."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(f"{en} / {th}")


def engine(settings: Mapping[str, Any]) -> str:
    name = str(settings["ENGINE"]).rsplit(".", 1)[-1].removesuffix("3")  # sqlite3 → sqlite
    if name not in DUMPS:
        raise BackupError(f"ไม่รองรับฐานข้อมูลชนิด {name}", f"database engine {name} is not supported")
    return name


def table_counts(db: BaseDatabaseWrapper | None = None) -> dict[str, int]:
    """The row count of every table of a database (by default the configured one; Django's tables too)."""
    db = db or connections["default"]
    with db.cursor() as cursor:
        counts = {}
        for table in sorted(db.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {db.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_env(settings: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for pg_dump/pg_restore (the password never on the command line)."""
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"ไม่พบโปรแกรม {name} (ติดตั้ง postgresql-client)", f"{name} not found on PATH")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} ทำงานไม่สำเร็จ", done.stderr.strip()[-2000:])


def _dump_database(target: Path) -> None:
    settings = connection.settings_dict
    if engine(settings) == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # consistent while others keep writing
        copy.close()
    else:
        args, env = _pg_env(settings)
        _run([_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(target),
              str(settings["NAME"])], env)  # fmt: skip


def backup(*, output: Path, media_root: Path) -> dict[str, Any]:
    """Write the backup file; returns its manifest."""
    kind = engine(connection.settings_dict)
    media = [p for p in sorted(media_root.rglob("*")) if p.is_file()] if media_root.is_dir() else []
    manifest = {
        "kind": KIND,
        "version": VERSION,
        "engine": kind,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tables": table_counts(),
        "media_files": len(media),
    }
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[kind]
        _dump_database(dump)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            manifest_file = Path(work) / MANIFEST
            manifest_file.write_text(json.dumps(manifest, indent=1))
            archive.add(manifest_file, MANIFEST)
            archive.add(dump, dump.name)
            for path in media:
                archive.add(path, f"media/{path.relative_to(media_root).as_posix()}")
        partial.replace(output)  # a failed backup never leaves a file that looks complete
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup file; a file of any other kind is refused with a clear message."""
    wrong = BackupError(f"{path.name} ไม่ใช่ไฟล์สำรองข้อมูลของ Khru", f"{path.name} is not a Khru backup file")
    try:
        with tarfile.open(path, "r:*") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, OSError, ValueError, EOFError) as error:
        raise wrong from error
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise wrong
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"ไฟล์สำรองรุ่น {manifest.get('version')} ใช้กับ Khru รุ่นนี้ไม่ได้",
            f"backup version {manifest.get('version')} is not supported",
        )
    return manifest


def _restore_database(dump: Path, kind: str, settings: Mapping[str, Any]) -> None:
    if kind == "sqlite":
        with sqlite3.connect(dump) as source, sqlite3.connect(settings["NAME"]) as target:
            source.backup(target)  # replaces every page of the target: the restored file is the backup's
        source.close()
        target.close()
    else:
        args, env = _pg_env(settings)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *args, "-d", str(settings["NAME"]), str(dump)], env)  # fmt: skip


def restore(*, path: Path, media_root: Path, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Replace the database (by default the configured one; `settings` names another, as in DATABASES) and
    the media folder with the backup's. Returns the manifest. The engines must match."""
    manifest = read_manifest(path)
    settings = settings or connection.settings_dict
    kind = engine(settings)
    if manifest["engine"] != kind:
        raise BackupError(
            f"ไฟล์นี้สำรองจากฐานข้อมูล {manifest['engine']} แต่ระบบนี้ใช้ {kind}",
            f"this backup is of a {manifest['engine']} database; this system uses {kind}",
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:*") as archive:
        archive.extractall(work, filter="data")  # refuses absolute paths, .. and links out of the folder
        if settings is connection.settings_dict:
            connection.close()  # the restore replaces the database under this connection
        _restore_database(Path(work) / DUMPS[kind], kind, settings)
        if media_root.exists():
            shutil.rmtree(media_root)
        restored_media = Path(work) / "media"
        if restored_media.is_dir():
            shutil.copytree(restored_media, media_root)
        else:
            media_root.mkdir(parents=True)
    return manifest
