"""Compiled templates kept between runs, signed: what Jinja compiles once per build process
(Material's templates and our theme's, our page templates, and every text with a {{ ... }}) is
kept in the page cache's database (build/.cache/pages, kind "code"), so the next build loads it.

Compiling them was about 0.6 s of every build process: 37 theme templates (0.4 s) and a few
hundred texts, in each worker again, whether a page changed or not.

Compiled code is Python that the build runs: marshal and pickle, which read it back, run whatever
a file holds. build/ is in the project folder, and a fork can bring one of its own. So every entry
is signed (HMAC-SHA256) with a key that lives outside the project, in the user's cache folder
($XDG_CACHE_HOME/rolwijzer or ~/.cache/rolwijzer, made once, readable by the user alone). An entry
whose signature does not match is never unpacked: the template is compiled again and its entry
replaced. Without a key (a home that cannot be written) nothing is kept, and every build compiles
as before.

An entry is keyed by its environment (its name, its class and extensions, the versions of Jinja,
MarkupSafe and MkDocs, and a digest of the generator's own code, where the environments and their
sandbox rules are defined: compiled code holds those rules), the template's name and file, and a
checksum of its source (Jinja's Bucket): an edited template or text, or another version of the
generator, is compiled again. Python's version is in the entry too (Jinja's bc_magic).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
from importlib.metadata import version
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from .pagecache import Store

KIND = "code"  # the entries' kind in the page cache's database
KEY_BYTES = 32
SIGNATURE_BYTES = hashlib.sha256().digest_size


@functools.lru_cache(maxsize=1)
def signing_key() -> bytes | None:
    """This user's key for signing compiled code, made on first use; None when it cannot be had."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "rolwijzer" / "code-signing-key"
    for _ in range(2):
        try:
            data = path.read_bytes()
            return data if len(data) == KEY_BYTES else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it just now: read that one
            continue
        except OSError:
            return None
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
    return None


@functools.lru_cache(maxsize=1)
def _generator_digest() -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package_name in ("jinja2", "markupsafe", "mkdocs"):
        digest.update(version(package_name).encode() + b"\0")
    return digest.hexdigest()


def _environment_digest(name: str, environment: jinja2.Environment) -> str:
    kind = type(environment)
    described = [name, f"{kind.__module__}.{kind.__qualname__}", *sorted(environment.extensions), _generator_digest()]
    return hashlib.sha256("\0".join(described).encode("utf-8")).hexdigest()[:32]


class SignedCodeCache(BytecodeCache):
    """Jinja's bytecode cache for one environment, signed entries in a page-cache Store.
    `scope` names the environment (see _environment_digest)."""

    def __init__(self, store: Store, scope: str, key: bytes):
        self.store, self.scope, self._key = store, scope, key

    def _entry_key(self, bucket: Bucket) -> str:
        return f"{self.scope}:{bucket.key}:{bucket.checksum}"

    def _signature(self, entry_key: str, payload: bytes) -> bytes:
        return hmac.new(self._key, entry_key.encode("utf-8") + b"\0" + payload, hashlib.sha256).digest()

    def load_bytecode(self, bucket: Bucket) -> None:
        entry_key = self._entry_key(bucket)
        data = self.store.get_bytes(KIND, entry_key)
        if data is None or len(data) < SIGNATURE_BYTES:
            return
        signature, payload = data[:SIGNATURE_BYTES], data[SIGNATURE_BYTES:]
        if hmac.compare_digest(signature, self._signature(entry_key, payload)):
            bucket.bytecode_from_string(payload)  # only now: it unpickles and unmarshals

    def dump_bytecode(self, bucket: Bucket) -> None:
        entry_key = self._entry_key(bucket)
        payload = bucket.bytecode_to_string()
        self.store.put_bytes(KIND, entry_key, self._signature(entry_key, payload) + payload)


_STORES: dict[str, Store] = {}  # per cache folder, in this process


def keep_compiled(directory: Path, environments: dict[str, jinja2.Environment]) -> None:
    """From now on in this process, what these environments (by name) compile is kept in the page
    cache at `directory`, and read back from it."""
    key = signing_key()
    folder = os.path.abspath(directory)
    if key is not None and folder not in _STORES:
        _STORES[folder] = Store(Path(folder))
    for name, environment in environments.items():
        environment.bytecode_cache = None if key is None else SignedCodeCache(_STORES[folder], _environment_digest(name, environment), key)


def flush() -> None:
    """Write what this process compiled since the last flush (one transaction per cache folder)."""
    for store in _STORES.values():
        store.flush()


def template_from_string(environment: jinja2.Environment, source: str) -> jinja2.Template:
    """environment.from_string(source), through the environment's bytecode cache when it has one
    (Jinja itself uses the cache only for templates its loader finds)."""
    cache = environment.bytecode_cache
    if cache is None:
        return environment.from_string(source)
    bucket = cache.get_bucket(environment, "<text>", None, source)
    code = bucket.code
    if code is None:
        code = environment.compile(source)
        bucket.code = code
        cache.set_bucket(bucket)
    return environment.template_class.from_code(environment, code, environment.make_globals(None), None)
