"""The cache of loaded catalogues: used when fresh, ignored and rebuilt otherwise, never an error."""

import os
import shutil

import pytest

from essmap import cache, catalogue, query
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
