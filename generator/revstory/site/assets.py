"""Third-party browser assets for the built site: ECharts and Material's iframe-worker shim.

The site must work with no network and from ``file://``, so nothing may be loaded from a CDN
at view time. The JavaScript comes from npm registry packages fetched by the build (never
pasted into the repository): the tarball is downloaded once over HTTPS, checked against the
sha512 ``integrity`` pinned below, and the few files the site needs are cached under
``$REVSTORY_CACHE`` (default ``$XDG_CACHE_HOME/revstory`` or ``~/.cache/revstory``), so later
builds are offline.

Air-gapped machines set ``REVSTORY_ECHARTS`` (or ``REVSTORY_IFRAME_WORKER``) to either the
package tarball (``npm pack echarts@6.1.0`` run elsewhere; its integrity is checked) or the
main file itself (``echarts.min.js``) with the licence files beside it or one folder up, as in
the npm package layout. ``REVSTORY_NPM_REGISTRY`` points the download at a registry mirror.

:func:`install_assets` is the one entry point: it writes, under ``docs_dir/assets/``,

- ``javascripts/echarts.min.js`` with ``echarts-LICENSE.txt``, ``echarts-NOTICE.txt`` and
  ``echarts-LICENSE-d3.txt`` beside it (Apache-2.0 asks for both to travel with the code);
- ``javascripts/iframe-worker-shim.js`` with ``iframe-worker-LICENSE.txt`` (MIT): listed in
  ``extra.polyfills`` so Material's offline plugin does not add its CDN copy;
- ``javascripts/charts.js`` and ``stylesheets/revstory.css`` from ``site_templates/assets/``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from revstory.errors import BuildError

DEFAULT_REGISTRY = "https://registry.npmjs.org"
DOWNLOAD_TIMEOUT_S = 60
#: The templates and assets shipped in the package (a report's site_templates overrides them).
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm package and the files the site takes from it."""

    name: str
    version: str
    integrity: str
    """The registry's ``dist.integrity`` (``npm view NAME@VERSION dist.integrity``)."""
    files: Mapping[str, str]
    """Path inside the package (without the tarball's ``package/`` prefix) → cached name."""
    main: str
    """The cached name of the file an override path may point at directly."""
    override_env: str

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    def tarball_url(self, registry: str) -> str:
        # Unscoped packages only: /NAME/-/NAME-VERSION.tgz is the registry's tarball path.
        return f"{registry.rstrip('/')}/{self.name}/-/{self.name}-{self.version}.tgz"


ECHARTS = NpmPackage(
    name="echarts",
    version="6.1.0",  # matches pyecharts 2.x's assets/v6
    integrity=(
        "sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA=="
    ),
    files={
        "dist/echarts.min.js": "echarts.min.js",
        "LICENSE": "echarts-LICENSE.txt",
        "NOTICE": "echarts-NOTICE.txt",
        "licenses/LICENSE-d3": "echarts-LICENSE-d3.txt",
    },
    main="echarts.min.js",
    override_env="REVSTORY_ECHARTS",
)

IFRAME_WORKER = NpmPackage(
    name="iframe-worker",
    version="1.0.4",
    integrity=(
        "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q=="
    ),
    files={"shim/index.js": "iframe-worker-shim.js", "LICENSE": "iframe-worker-LICENSE.txt"},
    main="iframe-worker-shim.js",
    override_env="REVSTORY_IFRAME_WORKER",
)

PACKAGES = (ECHARTS, IFRAME_WORKER)
_MANIFEST = "manifest.json"


def cache_root() -> Path:
    """Where fetched packages are kept between builds."""
    if env := os.environ.get("REVSTORY_CACHE"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "revstory"


def install_assets(docs_dir: Path, *, templates: Sequence[Path] = (PACKAGED_TEMPLATES,)) -> None:
    """Write the site's JavaScript and CSS under ``docs_dir/assets`` (see the module doc).

    ``templates`` are the template folders in lookup order; each one's ``assets/`` files are
    copied, the first folder holding a name winning (a report's own ``site_templates`` can
    replace ``revstory.css`` and keep the rest). Fetches each pinned package on first use;
    raises :class:`BuildError` saying how to fix a failed download, an integrity mismatch or
    a bad override path.
    """
    js_dir = docs_dir / "assets" / "javascripts"
    js_dir.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        for name, path in package_files(package).items():
            shutil.copyfile(path, js_dir / name)
    chosen: dict[Path, Path] = {}
    for folder in reversed(templates):
        own = folder / "assets"
        for src in sorted(p for p in own.rglob("*") if p.is_file()):
            chosen[src.relative_to(own)] = src
    if Path("javascripts", "charts.js") not in chosen:
        raise BuildError(
            "the site's own assets are missing: assets/javascripts/charts.js is in none of "
            + ", ".join(str(f) for f in templates) + " — reinstall revstory (pip install "
            "--force-reinstall revstory)"
        )
    for rel, src in sorted(chosen.items()):
        dest = docs_dir / "assets" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)


def package_files(
    package: NpmPackage,
    *,
    cache: Path | None = None,
    registry: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Cached name → local path of every file the site takes from ``package``.

    Order of precedence: the override env var, a valid cache entry, a download (then cached).
    """
    env = os.environ if environ is None else environ
    if override := env.get(package.override_env):
        return _from_override(package, Path(override).expanduser())
    folder = (cache or cache_root()) / "npm" / f"{package.name}-{package.version}"
    if _cache_is_valid(package, folder):
        return {name: folder / name for name in package.files.values()}
    url = package.tarball_url(registry or env.get("REVSTORY_NPM_REGISTRY") or DEFAULT_REGISTRY)
    data = _download(package, url, folder)
    _store(package, extract(package, data, source=url), folder)
    return {name: folder / name for name in package.files.values()}


def verify_integrity(package: NpmPackage, data: bytes, *, source: str) -> None:
    """Raise unless ``data`` matches the pinned Subresource-Integrity string."""
    algo, _, expected = package.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode("ascii")
    if actual != expected:
        raise BuildError(
            f"npm package {package.spec} from {source} failed its integrity check: expected "
            f"{package.integrity}, got {algo}-{actual} — the file is corrupt or not the pinned "
            f"release; delete it and fetch it again (npm pack {package.spec})"
        )


def extract(package: NpmPackage, data: bytes, *, source: str) -> dict[str, bytes]:
    """Verify the tarball ``data`` and return cached name → bytes of the files the site needs.

    Only the named members are read, and only as regular files, so a hostile archive cannot
    write anywhere.
    """
    verify_integrity(package, data, source=source)
    out: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for inner, name in package.files.items():
                try:
                    member = tar.getmember(f"package/{inner}")
                except KeyError:
                    member = None
                fh = tar.extractfile(member) if member is not None and member.isfile() else None
                if fh is None:
                    raise BuildError(
                        f"npm package {package.spec} from {source} has no file {inner} — "
                        "the pinned version or file list in revstory/site/assets.py is wrong"
                    )
                out[name] = fh.read()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BuildError(
            f"npm package {package.spec} from {source} is not a readable tarball ({exc}) — "
            f"delete it and fetch it again (npm pack {package.spec})"
        ) from exc
    return out


def _download(package: NpmPackage, url: str, folder: Path) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            data: bytes = response.read()
            return data
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise BuildError(
            f"could not download npm package {package.spec} from {url}: {reason} — the site "
            "serves it itself, so the first build needs the npm registry once (later builds "
            f"use the cache in {folder}). Fix: check the network or HTTPS_PROXY; or set "
            "REVSTORY_NPM_REGISTRY to a registry mirror; or, on an air-gapped machine, set "
            f"{package.override_env} to a copy of the tarball (npm pack {package.spec}) or of "
            f"{package.main} with its licence files beside it"
        ) from exc


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(package: NpmPackage, files: Mapping[str, bytes], folder: Path) -> None:
    """Write the files and their manifest to a temporary folder, then move it into place, so
    an interrupted build never leaves a half-written cache entry."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the cache holds public files
        for name, content in files.items():
            (tmp / name).write_bytes(content)
        manifest = {
            "package": package.spec,
            "integrity": package.integrity,
            "sha256": {name: _sha256(content) for name, content in sorted(files.items())},
        }
        (tmp / _MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    except OSError as exc:
        raise BuildError(
            f"could not write the cache of npm package {package.spec} to {folder}: {exc} — "
            "set REVSTORY_CACHE to a writable folder"
        ) from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _cache_is_valid(package: NpmPackage, folder: Path) -> bool:
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("integrity") != package.integrity:
            return False
        sums = manifest["sha256"]
        return set(sums) == set(package.files.values()) and all(
            _sha256((folder / name).read_bytes()) == digest for name, digest in sums.items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _from_override(package: NpmPackage, path: Path) -> dict[str, Path]:
    how = (
        f"set {package.override_env} to the tarball from `npm pack {package.spec}` or to "
        f"{package.main} with its licence files beside it or one folder up"
    )
    if not path.is_file():
        raise BuildError(f"{package.override_env}={path}: no such file — {how}")
    if path.name.endswith((".tgz", ".tar.gz")):
        folder = cache_root() / "npm" / f"{package.name}-{package.version}"
        if not _cache_is_valid(package, folder):
            _store(package, extract(package, path.read_bytes(), source=str(path)), folder)
        return {name: folder / name for name in package.files.values()}
    found = {package.main: path}
    for inner, name in package.files.items():
        if name == package.main:
            continue
        base = Path(inner).name
        candidates = [path.parent / base, path.parent.parent / inner, path.parent / name]
        hit = next((c for c in candidates if c.is_file()), None)
        if hit is None:
            raise BuildError(
                f"{package.override_env}={path}: {base} of {package.spec} is not beside it "
                f"(looked for {', '.join(str(c) for c in candidates)}) — its licence must "
                f"travel with it; {how}"
            )
        found[name] = hit
    return found
