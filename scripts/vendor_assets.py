#!/usr/bin/env python3
"""Maintainers only: fetch the pinned browser packages from the npm registry into the package.

    python scripts/vendor_assets.py [--registry URL]

Downloads each package of ``revstory.site.assets.PACKAGES`` (ECharts, Material's
iframe-worker shim) once, checks the tarball against its pinned sha512 ``integrity``, and
writes the few files the site serves, with their licences, into
``generator/revstory/site/vendor/`` plus ``manifest.json`` (the sha256 of each file, which
every build checks). Builds never touch the network; run this only after changing a pin in
site/assets.py, then commit the vendor folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "generator"))

from revstory.errors import BuildError  # noqa: E402
from revstory.site.assets import MANIFEST, PACKAGES, VENDOR, extract, manifest_of  # noqa: E402

DEFAULT_REGISTRY = "https://registry.npmjs.org"


def main() -> int:
    """Fetch the pinned packages' tarballs and write their files and the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--registry",
        default=DEFAULT_REGISTRY,
        help=f"npm registry or mirror (default {DEFAULT_REGISTRY})",
    )
    args = parser.parse_args()
    if not args.registry.startswith(("https://", "http://")):
        print(f"vendor_assets: --registry {args.registry} is not an http(s) URL", file=sys.stderr)
        return 1
    files: dict[str, bytes] = {}
    for package in PACKAGES:
        url = package.tarball_url(args.registry)
        print(f"fetching {package.spec} from {url}", file=sys.stderr)
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - http(s) only
            data = response.read()
        try:
            files.update(extract(package, data, source=url))
        except BuildError as exc:
            print(f"vendor_assets: {exc}", file=sys.stderr)
            return 1
    VENDOR.mkdir(parents=True, exist_ok=True)
    for old in VENDOR.iterdir():
        if old.is_file() and old.name not in files and old.name != MANIFEST:
            old.unlink()
    for name, content in sorted(files.items()):
        (VENDOR / name).write_bytes(content)
    manifest = manifest_of(files)
    (VENDOR / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(files)} files and {MANIFEST} to {VENDOR}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
