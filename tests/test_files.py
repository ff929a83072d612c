import stat

import pytest

from her_arc import files
from her_arc.files import write_atomic, write_text_atomic


def test_text_is_replaced_whole(tmp_path):
    path = tmp_path / "sub" / "a.json"
    write_text_atomic(path, "old")
    write_text_atomic(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in path.parent.iterdir()] == ["a.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    write_text_atomic(path, "old")

    def fail(tmp):
        with open(tmp, "w") as f:
            f.write("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_atomic(path, fail)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_written_files_get_the_umasks_permissions_not_mkstemps_private_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "_UMASK", 0o022)
    path = write_text_atomic(tmp_path / "report.jsonl", "{}\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
