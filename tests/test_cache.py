"""The cache of loaded catalogues: used when fresh, ignored and rebuilt otherwise, never an error."""

import os
import shutil

import pytest

from essmap import cache, catalogue, files, query
from essmap.query import Filters


@pytest.fixture
def copy(tmp_path, mini):
    path = tmp_path / "catalogue.yaml"
    shutil.copy(mini, path)
    return path


def ids(loaded, **filters):
    return [s.id for s in query.find(loaded, Filters.parse(**filters)).structures]


def test_second_load_comes_from_the_cache_with_the_same_answers(copy):
    fresh = catalogue.load(copy)
    assert cache.cache_file(copy).is_file()
    again = catalogue.load(copy)
    assert again._cached is not None and fresh._cached is None
    assert again.structures == fresh.structures
    assert ids(again, regions=["bourgogne-franche-comte"]) == ids(fresh, regions=["bourgogne-franche-comte"])
    assert [s.id for s in query.find(again, text="incubateur toulouse").structures][0] == "premiere-brique"
    assert query.pick(again, "transfo").structure.id == "le-transfo"
    assert [s.id for s in query.relations(again, again.get("france-active-franche-comte")).carries] == [
        "le-transfo"
    ]
    assert again.licence == "ODbL-1.0"


def test_no_cache_neither_reads_nor_writes(copy):
    catalogue.load(copy, use_cache=False)
    assert not cache.cache_file(copy).exists()


def test_changed_file_is_reloaded(copy):
    catalogue.load(copy)
    copy.write_text(copy.read_text().replace("name: Le Transfo", "name: Le Grand Transfo"))
    assert catalogue.load(copy).get("le-transfo").name == "Le Grand Transfo"


def test_same_size_and_time_but_other_content_is_reloaded(copy):
    catalogue.load(copy)
    stat = copy.stat()
    copy.write_text(copy.read_text().replace("name: Le Transfo", "name: Le Trensfo"))
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert copy.stat().st_size == stat.st_size
    assert catalogue.load(copy).get("le-transfo").name == "Le Trensfo"


def test_other_version_is_a_miss(copy, monkeypatch):
    catalogue.load(copy)
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert catalogue.load(copy)._cached is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not json at all\n"),
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(p.read_bytes()[:-40]),
        lambda p: p.write_bytes(p.read_bytes().replace(b"Le Transfo", b"Le Trxnsfo")),
        lambda p: p.write_bytes(p.read_bytes().replace(b"incubateur", b"incubatoor")),
        lambda p: p.write_bytes(p.read_bytes()[:4096]),
        lambda p: p.write_bytes(b'{"key": 1}\n'),
        lambda p: p.write_bytes(b"\x80\x81\x82\n\xff"),
    ],
)
def test_corrupt_cache_is_ignored_and_rebuilt(copy, damage):
    catalogue.load(copy)
    target = cache.cache_file(copy)
    damage(target)
    loaded = catalogue.load(copy)
    assert loaded.get("le-transfo").name == "Le Transfo"
    assert loaded._cached is None  # seen at opening or at the first damaged row, and read from the file
    assert catalogue.load(copy)._cached is not None  # rebuilt


def test_unreadable_cache_is_ignored(copy):
    target = cache.cache_file(copy)
    target.mkdir(parents=True)  # a folder where the file should be: cannot be opened as a file
    assert catalogue.load(copy).get("le-transfo") is not None


def test_unwritable_cache_folder_is_not_an_error(copy, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert catalogue.load(copy).get("le-transfo") is not None
    assert catalogue.load(copy)._cached is None


def test_broken_catalogue_is_never_cached(write):
    from essmap.errors import CatalogueError

    path = write("structures:\n  - id: a\n")
    with pytest.raises(CatalogueError):
        catalogue.load(path)
    assert not cache.cache_file(path).exists()


def test_cache_is_written_atomically(copy):
    catalogue.load(copy)
    leftovers = [p.name for p in cache.cache_file(copy).parent.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_cli_no_cache_flag(run, copy):
    assert run("find", "--no-cache", "-c", str(copy)).exit_code == 0
    assert not cache.cache_file(copy).exists()
    assert run("find", "-c", str(copy)).exit_code == 0
    assert cache.cache_file(copy).exists()


def _loads_right(copy):
    loaded = catalogue.load(copy)
    assert loaded.get("le-transfo").name == "Le Transfo"
    return loaded


def test_a_fifo_at_the_cache_path_never_hangs(copy):
    target = cache.cache_file(copy)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(target)
    assert _loads_right(copy)._cached is None
    assert target.is_file() and not target.is_symlink()  # replaced by a real cache, not written through


def test_a_link_at_the_cache_path_is_replaced_never_followed(copy, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = cache.cache_file(copy)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(victim)
    assert _loads_right(copy)._cached is None
    assert victim.read_text() == "precious" and not target.is_symlink()
    assert catalogue.load(copy)._cached is not None


def test_a_huge_sparse_cache_is_not_read(copy):
    catalogue.load(copy)
    target = cache.cache_file(copy)
    with open(target, "r+b") as handle:
        handle.truncate(3 << 30)
    assert _loads_right(copy)._cached is None
    assert target.stat().st_size < 1 << 20  # rebuilt


def test_a_foreign_database_is_a_miss(copy):
    import sqlite3

    target = cache.cache_file(copy)
    target.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(target).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    assert _loads_right(copy)._cached is None


def test_a_cache_owned_by_someone_else_is_not_trusted(copy):
    catalogue.load(copy)
    target = cache.cache_file(copy)
    if os.getuid() != 0:
        pytest.skip("changing a file's owner needs root")
    os.chown(target, 12345, 12345)
    assert _loads_right(copy)._cached is None


def test_another_field_layout_is_a_miss(copy, monkeypatch):
    catalogue.load(copy)
    monkeypatch.setattr(cache, "_FIELDS", tuple(reversed(cache._FIELDS)))
    assert catalogue.load(copy)._cached is None


def test_a_renamed_vocabulary_is_a_miss_never_a_key_error(copy, monkeypatch):
    """A development copy that renames a kind must not be served entries in the old words."""
    from essmap import model

    catalogue.load(copy)
    written = cache.source_key(copy)
    renamed = model.Vocabulary("kind", tuple(model.Term(t.id + "-x", t.label) for t in model.KINDS.terms))
    monkeypatch.setattr(model, "KINDS", renamed)
    assert cache.source_key(copy)["vocabularies"] != written["vocabularies"]  # so the cache misses


def test_the_cache_folder_is_private(copy):
    catalogue.load(copy)
    assert cache.cache_file(copy).parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    "variables", [{"XDG_CACHE_HOME": "relative/path", "HOME": ""}, {"XDG_CACHE_HOME": "", "HOME": ""}]
)
def test_no_usable_cache_folder_means_no_cache(copy, monkeypatch, variables):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert files.cache_dir() is None
    assert _loads_right(copy)._cached is None


def test_a_relative_xdg_folder_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert files.cache_dir() == tmp_path / ".cache" / "essmap"


def test_a_pipe_is_read_but_never_cached(mini, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "essmap", "find", "-c", "/dev/stdin", "-f", "json", "--fields", "id"],
        input=mini.read_bytes(),
        capture_output=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert result.returncode == 0 and b"le-transfo" in result.stdout
    assert not (tmp_path / "essmap").exists() or not list((tmp_path / "essmap").iterdir())


def test_old_temporary_files_are_cleaned(copy):
    import time

    folder = cache.cache_file(copy).parent
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / ".tmp-killed.sqlite"
    old.write_bytes(b"half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    catalogue.load(copy)
    assert not old.exists()
