"""Third-party browser assets for the built site: ECharts and Material's iframe-worker shim.

The site must work with no network and from ``file://``, so nothing is loaded from a CDN at
view time, and a build must work with no network either (a fresh CI runner, an air-gapped
laptop). So the few files the site serves ship inside the package, in ``site/vendor/``, with
their licence files. A maintainer fetches them once from the npm registry with
``scripts/vendor_assets.py``, which checks each tarball against the sha512 ``integrity``
pinned below (:func:`extract`) and writes ``vendor/manifest.json`` (the sha256 of each
file). A build only copies the files, after checking them against that manifest.

:func:`install_assets` is the one entry point: it writes, under ``docs_dir/assets/``,

- ``javascripts/echarts.min.js`` with ``echarts-LICENSE.txt``, ``echarts-NOTICE.txt`` and
  ``echarts-LICENSE-d3.txt`` beside it (Apache-2.0 asks for both to travel with the code);
- ``javascripts/iframe-worker-shim.js`` with ``iframe-worker-LICENSE.txt`` (MIT): listed in
  ``extra.polyfills`` so Material's offline plugin does not add its CDN copy;
- ``javascripts/charts.js`` and ``stylesheets/revstory.css`` from the templates' ``assets/``
  (first folder holding a name wins, so a report's ``site_templates`` may replace any).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from revstory.errors import BuildError

_HERE = Path(__file__).resolve().parent
#: The templates and assets shipped in the package (a report's site_templates overrides them).
PACKAGED_TEMPLATES = _HERE / "templates"
#: The vendored npm files and their manifest (written by scripts/vendor_assets.py).
VENDOR = _HERE / "vendor"
MANIFEST = "manifest.json"
_REFETCH = (
    "reinstall revstory (pip install --force-reinstall revstory); in a checkout, run "
    "python scripts/vendor_assets.py"
)


@dataclass(frozen=True)
class NpmPackage:
    """One pinned npm package and the files the site takes from it."""

    name: str
    version: str
    integrity: str
    """The registry's ``dist.integrity`` (``npm view NAME@VERSION dist.integrity``)."""
    files: Mapping[str, str]
    """Path inside the package (without the tarball's ``package/`` prefix) → vendored name."""

    @property
    def spec(self) -> str:
        """Name and version as npm writes them (``echarts@6.1.0``)."""
        return f"{self.name}@{self.version}"

    def tarball_url(self, registry: str) -> str:
        """Return the URL of the package's tarball on ``registry``."""
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
)

IFRAME_WORKER = NpmPackage(
    name="iframe-worker",
    version="1.0.4",
    integrity=(
        "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q=="
    ),
    files={"shim/index.js": "iframe-worker-shim.js", "LICENSE": "iframe-worker-LICENSE.txt"},
)

PACKAGES = (ECHARTS, IFRAME_WORKER)


def install_assets(docs_dir: Path, *, templates: Sequence[Path] = (PACKAGED_TEMPLATES,)) -> None:
    """Write the site's JavaScript and CSS under ``docs_dir/assets`` (see the module doc).

    ``templates`` are the template folders in lookup order; each one's ``assets/`` files are
    copied, the first folder holding a name winning (a report's own ``site_templates`` can
    replace ``revstory.css`` and keep the rest). Raises :class:`BuildError` when a vendored
    file is missing or does not match its checksum.
    """
    js_dir = docs_dir / "assets" / "javascripts"
    js_dir.mkdir(parents=True, exist_ok=True)
    for name, path in vendored_files().items():
        shutil.copyfile(path, js_dir / name)
    chosen: dict[Path, Path] = {}
    for folder in reversed(templates):
        own = folder / "assets"
        for src in sorted(p for p in own.rglob("*") if p.is_file()):
            chosen[src.relative_to(own)] = src
    if Path("javascripts", "charts.js") not in chosen:
        raise BuildError(
            "the site's own assets are missing: assets/javascripts/charts.js is in none of "
            + ", ".join(str(f) for f in templates)
            + " — reinstall revstory (pip install "
            "--force-reinstall revstory)"
        )
    for rel, src in sorted(chosen.items()):
        dest = docs_dir / "assets" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)


def manifest_of(files: Mapping[str, bytes]) -> dict[str, dict[str, object]]:
    """Build the manifest of the vendored ``files`` (vendored name → bytes).

    Per pinned package: its integrity and the sha256 of each of its files.
    """
    return {
        p.spec: {
            "integrity": p.integrity,
            "sha256": {n: _sha256(files[n]) for n in sorted(p.files.values())},
        }
        for p in PACKAGES
    }


def vendored_files(vendor: Path = VENDOR) -> dict[str, Path]:
    """Map each vendored name to the file the site takes from the pinned packages.

    Each file is checked against ``vendor/manifest.json`` (which must name the pins of this
    module).
    """
    try:
        manifest = json.loads((vendor / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(
            f"{vendor / MANIFEST} is missing or unreadable ({exc}) — {_REFETCH}"
        ) from None
    out: dict[str, Path] = {}
    for package in PACKAGES:
        entry = manifest.get(package.spec) if isinstance(manifest, dict) else None
        if not isinstance(entry, dict) or entry.get("integrity") != package.integrity:
            raise BuildError(
                f"{vendor / MANIFEST} does not hold the pinned {package.spec} "
                f"({package.integrity}) — {_REFETCH}"
            )
        sums = entry.get("sha256") or {}
        for name in package.files.values():
            path = vendor / name
            try:
                actual = _sha256(path.read_bytes())
            except OSError:
                raise BuildError(f"{path} of {package.spec} is missing — {_REFETCH}") from None
            if actual != sums.get(name):
                raise BuildError(
                    f"{path} of {package.spec} does not match its checksum in "
                    f"{vendor / MANIFEST} (sha256 {actual}, expected "
                    f"{sums.get(name)}) — {_REFETCH}"
                )
            out[name] = path
    return out


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
    """Verify the tarball ``data`` and return vendored name → bytes of the files the site needs.

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


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
