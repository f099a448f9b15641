"""The parsed BibTeX library, kept between builds in <project>/.cache/folio/ (as Material keeps its
plugins' caches in .cache/): reading it back takes about 7 ms where parsing 590 entries takes 70.

The file is a pickle, and unpickling runs whatever a pickle says. So the file is signed
(HMAC-SHA256) with a random key kept in this user's own cache folder, and a file whose signature
does not check out (put there by someone else, a branch, or another machine) is never unpickled:
the library is parsed again and the file rewritten. A missing, stale or unreadable cache, or one
that cannot be written, only costs that parse.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import platformdirs
import pybtex

from folio import bib, problems

CACHE_FILE = Path(".cache") / "folio" / "library.pickle"
FORMAT = b"folio-library-1"
STALE_TEMPORARY_SECONDS = 600  # a temporary file this old was left by a build that was killed


def _code_digest() -> bytes | None:
    """What the pickled objects and the parse depend on in folio: the modules that define them
    (or, installed without sources, the package's version; with neither, no cache)."""
    digest = hashlib.sha256()
    for module in (bib, problems):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:
            try:
                digest.update(metadata.version("folio").encode())
            except metadata.PackageNotFoundError:
                return None
    return digest.digest()


CODE_DIGEST = _code_digest()


def secret_path() -> Path:
    return platformdirs.user_cache_path("folio") / "library-signing-key"


def cache_key(root: Path, sources: dict[Path, bytes]) -> str:
    """Changes with the .bib files (names relative to the project, so a symlinked or moved
    checkout keeps its cache), with folio's parsing code, and with the Python and pybtex versions
    that the pickle's objects come from."""
    key = hashlib.sha256(CODE_DIGEST or b"")
    key.update(f"{sys.version_info[:2]} pybtex {pybtex.__version__}".encode())
    for path, data in sources.items():
        key.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        key.update(data)
    return key.hexdigest()


def load_cached(root: Path, sources: dict[Path, bytes] | None = None) -> bib.Bibliography:
    """bib.load(), through the signed cache when its key matches."""
    sources = bib.read_sources(root) if sources is None else sources
    secret = _secret() if CODE_DIGEST is not None else None
    if secret is None:  # no key (no folder of the user's own for it) or no code to key on: no cache
        return bib.load(root, sources)
    key = cache_key(root, sources).encode()
    library = _read(root / CACHE_FILE, key, secret)
    if library is None:
        library = bib.load(root, sources)
        _write(root / CACHE_FILE, key, secret, library)
    else:  # the digest the plugin compares while serving is of this checkout's paths
        library.digest = bib.content_digest(sources)
    return library


def _secret() -> bytes | None:
    """This user's signing key (32 random bytes, readable by the user alone), made on first use.
    It is written whole to a temporary file and linked into place, so that no reader ever sees
    part of it; of two builds making it at once, the first link wins (where the filesystem has
    no hard links, the last move). A key of the wrong length (damaged) is replaced; two builds
    that replace it at once may sign with different keys, and the loser's cache then fails its
    check and is parsed again."""
    path = secret_path()
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = None
    except OSError:
        return None
    if secret is not None and len(secret) == 32:
        return secret
    try:
        _write_whole(path, secrets.token_bytes(32), replace=secret is not None)  # mkstemp: binary, mode 0600
        secret = path.read_bytes()
    except OSError:
        return None
    finally:
        _remove_stale_temporaries(path)
    return secret if len(secret) == 32 else None


def _write_whole(path: Path, data: bytes, replace: bool = True) -> None:
    """Write data beside path, then move it into place whole (replace), or link it there unless
    a file is already there; no reader ever sees part of it. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if replace:
            os.replace(temporary, path)
        else:
            _link_unless_there(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _link_unless_there(temporary: str, path: Path) -> None:
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another build made the key first
    except OSError:  # no hard links on this filesystem
        os.replace(temporary, path)


def _signature(secret: bytes, key: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, FORMAT + b"\n" + key + b"\n" + payload, hashlib.sha256).hexdigest().encode()


def _read(path: Path, key: bytes, secret: bytes) -> bib.Bibliography | None:
    try:
        stored_format, stored_key, signature, payload = path.read_bytes().split(b"\n", 3)
    except (OSError, ValueError):
        return None
    if stored_format != FORMAT or stored_key != key or not hmac.compare_digest(signature, _signature(secret, key, payload)):
        return None
    try:
        library = pickle.loads(payload)  # noqa: S301 - signed with this user's key (above)
    except Exception:  # noqa: BLE001 - a cache that does not load means: parse the files
        return None
    return library if isinstance(library, bib.Bibliography) else None


def _write(path: Path, key: bytes, secret: bytes, library: bib.Bibliography) -> None:
    """Write the cache whole or not at all (a concurrent build never reads half a file)."""
    try:
        payload = pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL)
        _write_whole(path, b"\n".join([FORMAT, key, _signature(secret, key, payload), payload]))
    except Exception:  # noqa: BLE001 - the cache only ever saves time
        return
    _remove_stale_temporaries(path)
    _remove_stale_temporaries(secret_path())  # a build killed while making the key left one there


def _remove_stale_temporaries(path: Path) -> None:
    now = time.time()
    for left in path.parent.glob(path.name + ".*"):
        with contextlib.suppress(OSError):
            if now - left.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                left.unlink()
