"""revstory.site.assets: the vendored browser files, their checksums, and the npm tarball
verification the maintainer script uses to fetch them.

No network: fake packages are built in memory; the maintainer script's download is a stub.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from revstory.errors import BuildError
from revstory.site import assets
from revstory.site.assets import NpmPackage

FILES = {
    "package/dist/lib.min.js": b"window.lib = 1;\n",
    "package/LICENSE": b"Apache License 2.0 (fake)\n",
    "package/NOTICE": b"fake notice\n",
}


def make_tarball(members: dict[str, bytes], symlink: tuple[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
        if symlink:
            info = tarfile.TarInfo(symlink[0])
            info.type = tarfile.SYMTYPE
            info.linkname = symlink[1]
            tar.addfile(info)
    return buf.getvalue()


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fake_package(integrity: str) -> NpmPackage:
    return NpmPackage(
        name="fakelib",
        version="1.2.3",
        integrity=integrity,
        files={
            "dist/lib.min.js": "lib.min.js",
            "LICENSE": "lib-LICENSE.txt",
            "NOTICE": "lib-NOTICE.txt",
        },
    )


TARBALL = make_tarball(FILES)
PKG = fake_package(sri(TARBALL))


def test_extract_returns_only_the_named_files() -> None:
    out = assets.extract(PKG, TARBALL, source="test")
    assert out == {
        "lib.min.js": FILES["package/dist/lib.min.js"],
        "lib-LICENSE.txt": FILES["package/LICENSE"],
        "lib-NOTICE.txt": FILES["package/NOTICE"],
    }


def test_extract_rejects_a_tarball_that_does_not_match_the_pinned_integrity() -> None:
    tampered = make_tarball({**FILES, "package/dist/lib.min.js": b"window.evil = 1;\n"})
    with pytest.raises(BuildError) as err:
        assets.extract(PKG, tampered, source="https://example.test/fakelib-1.2.3.tgz")
    msg = str(err.value)
    assert msg.startswith(
        "npm package fakelib@1.2.3 from https://example.test/fakelib-1.2.3.tgz failed its "
        f"integrity check: expected {PKG.integrity}, got {sri(tampered)}"
    )
    assert "npm pack fakelib@1.2.3" in msg


def test_extract_names_a_missing_file() -> None:
    data = make_tarball({k: v for k, v in FILES.items() if not k.endswith("NOTICE")})
    with pytest.raises(BuildError, match="has no file NOTICE"):
        assets.extract(fake_package(sri(data)), data, source="test")


def test_extract_refuses_a_symlink_in_place_of_a_file() -> None:
    members = {k: v for k, v in FILES.items() if not k.endswith("NOTICE")}
    data = make_tarball(members, symlink=("package/NOTICE", "/etc/passwd"))
    with pytest.raises(BuildError, match="has no file NOTICE"):
        assets.extract(fake_package(sri(data)), data, source="test")


def test_extract_reports_garbage_as_unreadable() -> None:
    data = b"not a tarball"
    with pytest.raises(BuildError, match="is not a readable tarball"):
        assets.extract(fake_package(sri(data)), data, source="test")


def test_pinned_integrity_strings_are_well_formed() -> None:
    for package in assets.PACKAGES:
        algo, _, digest = package.integrity.partition("-")
        assert algo == "sha512"
        assert len(base64.b64decode(digest)) == 64


def test_the_vendored_files_are_the_pinned_release() -> None:
    """The checksum test: the shipped files match the manifest, which names these pins."""
    files = assets.vendored_files()
    assert sorted(files) == sorted(n for p in assets.PACKAGES for n in p.files.values())
    manifest = json.loads((assets.VENDOR / assets.MANIFEST).read_text(encoding="utf-8"))
    assert {spec: entry["integrity"] for spec, entry in manifest.items()} == {
        "echarts@6.1.0": assets.ECHARTS.integrity,
        "iframe-worker@1.0.4": assets.IFRAME_WORKER.integrity,
    }
    assert hashlib.sha256(files["echarts.min.js"].read_bytes()).hexdigest() == (
        "b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0"
    )
    assert len(files["echarts.min.js"].read_bytes()) == 1_121_883
    assert b"Apache License" in files["echarts-LICENSE.txt"].read_bytes()
    assert b"Apache ECharts" in files["echarts-NOTICE.txt"].read_bytes()
    assert b"Mike Bostock" in files["echarts-LICENSE-d3.txt"].read_bytes()
    assert b"Permission is hereby granted" in files["iframe-worker-LICENSE.txt"].read_bytes()


def _vendor_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "vendor"
    shutil.copytree(assets.VENDOR, copy)
    return copy


def test_a_tampered_vendored_file_stops_the_build(tmp_path: Path) -> None:
    vendor = _vendor_copy(tmp_path)
    (vendor / "iframe-worker-shim.js").write_bytes(b"window.evil = 1;")
    with pytest.raises(BuildError) as err:
        assets.vendored_files(vendor)
    assert str(err.value) == (
        f"{vendor / 'iframe-worker-shim.js'} of iframe-worker@1.0.4 does not match its "
        f"checksum in {vendor / 'manifest.json'} (sha256 "
        f"{hashlib.sha256(b'window.evil = 1;').hexdigest()}, expected "
        "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609) — reinstall "
        "revstory (pip install --force-reinstall revstory); in a checkout, run python "
        "scripts/vendor_assets.py"
    )


def test_a_missing_vendored_file_or_manifest_is_named(tmp_path: Path) -> None:
    vendor = _vendor_copy(tmp_path)
    (vendor / "echarts-NOTICE.txt").unlink()
    with pytest.raises(
        BuildError,
        match=r"echarts-NOTICE\.txt of echarts@6\.1\.0 is missing — "
        r"reinstall revstory",
    ):
        assets.vendored_files(vendor)
    (vendor / "manifest.json").unlink()
    with pytest.raises(BuildError, match=r"manifest\.json is missing or unreadable"):
        assets.vendored_files(vendor)


def test_a_pin_changed_without_vendoring_again_is_caught(tmp_path: Path) -> None:
    vendor = _vendor_copy(tmp_path)
    manifest = json.loads((vendor / "manifest.json").read_text(encoding="utf-8"))
    manifest["echarts@6.0.0"] = manifest.pop("echarts@6.1.0")
    (vendor / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BuildError, match=r"does not hold the pinned echarts@6\.1\.0 "):
        assets.vendored_files(vendor)


def test_the_maintainer_script_vendors_a_verified_tarball(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "vendor_assets.py"
    spec = importlib.util.spec_from_file_location("vendor_assets", script)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    urls: list[str] = []

    def urlopen(url: str, timeout: float) -> io.BytesIO:
        urls.append(url)
        return io.BytesIO(TARBALL)

    monkeypatch.setattr(mod.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(mod, "PACKAGES", (PKG,))
    monkeypatch.setattr(assets, "PACKAGES", (PKG,))
    monkeypatch.setattr(mod, "VENDOR", tmp_path)
    (tmp_path / "stale.js").write_text("old", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["vendor_assets.py"])
    assert mod.main() == 0
    assert urls == ["https://registry.npmjs.org/fakelib/-/fakelib-1.2.3.tgz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lib-LICENSE.txt",
        "lib-NOTICE.txt",
        "lib.min.js",
        "manifest.json",
    ]
    assert (
        assets.vendored_files(tmp_path)["lib.min.js"].read_bytes()
        == (FILES["package/dist/lib.min.js"])
    )
    # A tarball that is not the pinned release writes nothing.
    monkeypatch.setattr(mod, "PACKAGES", (fake_package(sri(b"other")),))
    (tmp_path / "lib.min.js").unlink()
    assert mod.main() == 1
    assert not (tmp_path / "lib.min.js").exists()


def test_install_assets_lays_out_the_site_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assets.install_assets(docs)
    got = sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file())
    assert got == [
        "assets/javascripts/charts.js",
        "assets/javascripts/echarts-LICENSE-d3.txt",
        "assets/javascripts/echarts-LICENSE.txt",
        "assets/javascripts/echarts-NOTICE.txt",
        "assets/javascripts/echarts.min.js",
        "assets/javascripts/iframe-worker-LICENSE.txt",
        "assets/javascripts/iframe-worker-shim.js",
        "assets/stylesheets/revstory.css",
    ]
    assert (docs / "assets/javascripts/echarts.min.js").read_bytes() == (
        assets.VENDOR / "echarts.min.js"
    ).read_bytes()


def test_a_report_asset_replaces_the_shipped_one(tmp_path: Path) -> None:
    own = tmp_path / "site_templates"
    (own / "assets" / "stylesheets").mkdir(parents=True)
    (own / "assets" / "stylesheets" / "revstory.css").write_text("/* ours */", encoding="utf-8")
    docs = tmp_path / "docs"
    assets.install_assets(docs, templates=(own, assets.PACKAGED_TEMPLATES))
    assert (docs / "assets/stylesheets/revstory.css").read_text(encoding="utf-8") == "/* ours */"
    assert (docs / "assets/javascripts/charts.js").read_bytes() == (
        assets.PACKAGED_TEMPLATES / "assets/javascripts/charts.js"
    ).read_bytes()
