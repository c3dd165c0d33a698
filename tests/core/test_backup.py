"""Backup and restore: one file with the database and the media folder; restoring it gives back every table's
rows (compared table by table) and the files; a file of the wrong kind is refused before anything changes."""

import datetime as dt
import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import load_backend

from khru.attendance import services as attendance
from khru.attendance.models import Mark
from khru.core import backup
from khru.health import services as health
from khru.health.models import Measurement
from tests import factories as f

DAY = dt.date(2026, 6, 15)  # a school day of term 1, 2569


def _demo_subset(world, media_root):
    """Two schools with children, a register with marks, measurements and an uploaded file."""
    f.EnrolmentFactory(classroom=world.class1)
    attendance.record_register(
        actor=world.teacher1, classroom=world.class1, date=DAY, marks={world.student1.pk: "absent"}
    )
    health.record_measurements(
        actor=world.teacher1,
        classroom=world.class1,
        measured_on=DAY,
        rows={world.student1.pk: ("32.5", "138.2")},
    )
    photo = media_root / "welfare" / "visits" / "home.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8 a photo of a home")


def _target(tmp_path):
    """A second, empty database of the same engine to restore into: a file beside the test, or a PostgreSQL
    database named after the test database."""
    settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings["NAME"] = f"{settings['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings['NAME']}")
            cursor.execute(f"CREATE DATABASE {settings['NAME']}")
    return settings


def _drop(settings):
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings['NAME']}")


@pytest.mark.django_db(transaction=True)  # pg_dump reads from its own session: the rows must be committed
def test_a_backup_restores_every_table_and_the_media(world, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    _demo_subset(world, settings.MEDIA_ROOT)
    before = backup.table_counts()
    assert before[Mark._meta.db_table] == 1 and before[Measurement._meta.db_table] == 1
    file = tmp_path / "khru.tar.gz"
    call_command("backup", "--output", str(file))
    assert f"{len(before)} tables" in capsys.readouterr().out
    target = _target(tmp_path)
    restored_media = tmp_path / "restored-media"
    try:
        manifest = backup.restore(path=file, media_root=restored_media, settings=target)
        restored = load_backend(target["ENGINE"]).DatabaseWrapper(target, "restored")
        try:
            after = backup.table_counts(restored)
        finally:
            restored.close()
    finally:
        _drop(target)
    assert manifest["tables"] == before
    assert after == before  # every table, row for row
    assert (restored_media / "welfare" / "visits" / "home.jpg").read_bytes() == b"\xff\xd8 a photo of a home"
    assert manifest["media_files"] == 1


def _tar(path, members):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_restore_refuses_a_file_of_the_wrong_kind(db, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    other_tar = tmp_path / "photos.tar.gz"
    _tar(other_tar, {"a.jpg": b"x"})
    for wrong in (text, other_tar):
        with pytest.raises(CommandError, match="is not a Khru backup file / .* ไม่ใช่ไฟล์สำรองข้อมูลของ Khru"):
            call_command("restore", str(wrong))
    other_engine = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = tmp_path / "foreign.tar.gz"
    manifest = {"kind": backup.KIND, "version": backup.VERSION, "engine": other_engine, "tables": {}}
    _tar(foreign, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(CommandError, match=f"this backup is of a {other_engine} database"):
        call_command("restore", str(foreign))
