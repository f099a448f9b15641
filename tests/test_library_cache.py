"""The parsed library kept between builds: read when nothing changed, parsed again when anything
did, never unpickled unless this user's folio signed it, and never more than a lost parse."""

from __future__ import annotations

import os
import pickle

import pybtex
import pytest

from conftest import GOOD_BIB, make_site
from folio import bib, library_cache
from folio.library_cache import CACHE_FILE, cache_key, load_cached


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setattr(library_cache, "secret_path", lambda: tmp_path / "user-cache" / "key")
    site = tmp_path / "site"
    site.mkdir()
    return make_site(site, {})


def no_parse(text: str) -> None:
    raise AssertionError("parsed although the cache was current")


def test_the_cache_is_read_when_nothing_changed_and_refreshed_when_a_file_does(root, monkeypatch):
    first = load_cached(root)
    assert (root / CACHE_FILE).is_file()
    with monkeypatch.context() as patch:
        patch.setattr(bib, "_parse", no_parse)
        cached = load_cached(root)
    assert list(cached.entries) == list(first.entries) and cached.digest == first.digest
    assert str(cached.entries["yu2022orca"].entry.fields["title"]) == str(first.entries["yu2022orca"].entry.fields["title"])

    (root / "references" / "library.bib").write_text(GOOD_BIB.replace("Orca: A Distributed", "Orca, Revised: A Distributed"))
    assert "Orca, Revised" in str(load_cached(root).entries["yu2022orca"].entry.fields["title"])


def test_the_key_follows_the_files_and_pybtex_but_not_where_the_project_is(root, monkeypatch, tmp_path):
    sources = bib.read_sources(root)
    key = cache_key(root, sources)
    assert cache_key(root, {path: data + b"\n" for path, data in sources.items()}) != key
    link = tmp_path / "link"
    link.symlink_to(root)
    assert cache_key(link, bib.read_sources(link)) == key
    monkeypatch.setattr(pybtex, "__version__", "0.0.0")
    assert cache_key(root, sources) != key


class Planted:
    """What a pickle planted in .cache/ could do when unpickled: here, leave a file behind."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_file_this_user_did_not_sign_is_never_unpickled(root, tmp_path, monkeypatch):
    load_cached(root)
    cache = root / CACHE_FILE
    file_format, key, signature, _ = cache.read_bytes().split(b"\n", 3)
    marker = tmp_path / "unpickled"
    cache.write_bytes(b"\n".join([file_format, key, signature, pickle.dumps(Planted(str(marker)))]))
    assert "yu2022orca" in load_cached(root).entries
    assert not marker.exists(), "a planted pickle was loaded"
    with monkeypatch.context() as patch:  # parsed and written again, signed: the next build reads it
        patch.setattr(bib, "_parse", no_parse)
        assert "yu2022orca" in load_cached(root).entries


def test_a_broken_or_unwritable_cache_only_costs_a_parse(root, monkeypatch):
    cache = root / CACHE_FILE
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a cache")
    assert "yu2022orca" in load_cached(root).entries
    with monkeypatch.context() as patch:  # rewritten whole: the next build reads it
        patch.setattr(bib, "_parse", no_parse)
        assert "yu2022orca" in load_cached(root).entries

    cache.unlink()
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(OSError("read-only")))
        assert "yu2022orca" in load_cached(root).entries
    assert sorted(p.name for p in cache.parent.iterdir()) == [], "a temporary file was left behind"

    cache.parent.rmdir()
    cache.parent.write_text("a file where the cache's folder should be")
    assert "yu2022orca" in load_cached(root).entries


def test_without_a_folder_for_the_key_nothing_is_cached(root, monkeypatch, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setattr(library_cache, "secret_path", lambda: blocked / "key")
    assert "yu2022orca" in load_cached(root).entries
    assert not (root / CACHE_FILE).exists()


def test_the_key_is_the_users_alone_and_a_damaged_one_is_replaced(root, monkeypatch):
    load_cached(root)
    key_file = library_cache.secret_path()
    assert len(key_file.read_bytes()) == 32 and key_file.stat().st_mode & 0o777 == 0o600
    key_file.write_bytes(b"")  # cut short (a build stopped while writing it, before keys were linked whole)
    load_cached(root)
    assert len(key_file.read_bytes()) == 32
    with monkeypatch.context() as patch:  # and the cache works again under the new key
        patch.setattr(bib, "_parse", no_parse)
        load_cached(root)


def test_the_key_follows_folios_own_code(root, monkeypatch):
    sources = bib.read_sources(root)
    key = cache_key(root, sources)
    monkeypatch.setattr(library_cache, "CODE_DIGEST", b"another version of bib.py")
    assert cache_key(root, sources) != key


def test_a_moved_checkout_reads_its_cache_with_its_own_digest(root, monkeypatch, tmp_path):
    load_cached(root)
    moved = tmp_path / "moved"
    root.rename(moved)
    with monkeypatch.context() as patch:
        patch.setattr(bib, "_parse", no_parse)
        library = load_cached(moved)
    assert library.digest == bib.content_digest(bib.read_sources(moved))  # what serving compares


def test_temporary_files_a_killed_build_left_are_removed(root):
    load_cached(root)  # the key exists from now on
    folder = (root / CACHE_FILE).parent
    key = library_cache.secret_path()
    left = [folder / "library.pickle.abandoned", folder / "library.pickle.writing", key.parent / f"{key.name}.abandoned"]
    for path in left:
        path.write_bytes(b"")
    for path in left[::2]:
        os.utime(path, (1, 1))
    (root / "references" / "library.bib").write_text(GOOD_BIB + "\n")  # the next build writes the cache
    load_cached(root)
    assert [path.exists() for path in left] == [False, True, False]


def test_without_hard_links_the_key_is_moved_into_place(root, monkeypatch):
    def no_links(source, target):
        raise PermissionError("this filesystem has no hard links")

    monkeypatch.setattr(os, "link", no_links)
    load_cached(root)
    assert len(library_cache.secret_path().read_bytes()) == 32
    assert [p.name for p in library_cache.secret_path().parent.iterdir()] == ["key"]  # no temporary left
    with monkeypatch.context() as patch:
        patch.setattr(bib, "_parse", no_parse)
        load_cached(root)
