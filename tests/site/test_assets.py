"""revstory.site.assets: npm tarball verification, extraction, cache and overrides.

No network: a fake package is built in memory; the download is replaced by a stub.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.error
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
        files={"dist/lib.min.js": "lib.min.js", "LICENSE": "lib-LICENSE.txt",
               "NOTICE": "lib-NOTICE.txt"},
        main="lib.min.js",
        override_env="REVSTORY_FAKELIB",
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


class StubDownload:
    def __init__(self, data: bytes | Exception) -> None:
        self.data = data
        self.urls: list[str] = []

    def __call__(self, url: str, timeout: float) -> io.BytesIO:
        self.urls.append(url)
        if isinstance(self.data, Exception):
            raise self.data
        return io.BytesIO(self.data)


def test_download_once_then_serve_from_the_cache(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    stub = StubDownload(TARBALL)
    monkeypatch.setattr(assets.urllib.request, "urlopen", stub)
    first = assets.package_files(PKG, cache=tmp_path, environ={})
    second = assets.package_files(PKG, cache=tmp_path, environ={})
    assert stub.urls == ["https://registry.npmjs.org/fakelib/-/fakelib-1.2.3.tgz"]
    assert first == second
    assert first["lib.min.js"].read_bytes() == FILES["package/dist/lib.min.js"]
    assert sorted(p.name for p in (tmp_path / "npm" / "fakelib-1.2.3").iterdir()) == [
        "lib-LICENSE.txt", "lib-NOTICE.txt", "lib.min.js", "manifest.json"]


def test_a_corrupted_cache_entry_is_fetched_again(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    stub = StubDownload(TARBALL)
    monkeypatch.setattr(assets.urllib.request, "urlopen", stub)
    files = assets.package_files(PKG, cache=tmp_path, environ={})
    files["lib.min.js"].write_bytes(b"truncated")
    files = assets.package_files(PKG, cache=tmp_path, environ={})
    assert len(stub.urls) == 2
    assert files["lib.min.js"].read_bytes() == FILES["package/dist/lib.min.js"]


def test_registry_mirror_from_the_environment(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    stub = StubDownload(TARBALL)
    monkeypatch.setattr(assets.urllib.request, "urlopen", stub)
    assets.package_files(PKG, cache=tmp_path,
                         environ={"REVSTORY_NPM_REGISTRY": "https://npm.corp.example/"})
    assert stub.urls == ["https://npm.corp.example/fakelib/-/fakelib-1.2.3.tgz"]


def test_failed_download_names_package_url_and_fix(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assets.urllib.request, "urlopen",
                        StubDownload(urllib.error.URLError("Name or service not known")))
    with pytest.raises(BuildError) as err:
        assets.package_files(PKG, cache=tmp_path, environ={})
    assert str(err.value) == (
        "could not download npm package fakelib@1.2.3 from "
        "https://registry.npmjs.org/fakelib/-/fakelib-1.2.3.tgz: Name or service not known — "
        "the site serves it itself, so the first build needs the npm registry once (later "
        f"builds use the cache in {tmp_path / 'npm' / 'fakelib-1.2.3'}). Fix: check the network "
        "or HTTPS_PROXY; or set REVSTORY_NPM_REGISTRY to a registry mirror; or, on an "
        "air-gapped machine, set REVSTORY_FAKELIB to a copy of the tarball (npm pack "
        "fakelib@1.2.3) or of lib.min.js with its licence files beside it"
    )
    assert not (tmp_path / "npm" / "fakelib-1.2.3").exists()


def test_override_with_a_local_tarball(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVSTORY_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(assets.urllib.request, "urlopen", StubDownload(AssertionError("net")))
    tgz = tmp_path / "fakelib-1.2.3.tgz"
    tgz.write_bytes(TARBALL)
    files = assets.package_files(PKG, environ={"REVSTORY_FAKELIB": str(tgz)})
    assert files["lib-NOTICE.txt"].read_bytes() == FILES["package/NOTICE"]


def test_override_with_the_js_file_in_npm_layout(tmp_path: Path) -> None:
    for name, content in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    js = tmp_path / "package" / "dist" / "lib.min.js"
    files = assets.package_files(PKG, environ={"REVSTORY_FAKELIB": str(js)})
    assert files == {
        "lib.min.js": js,
        "lib-LICENSE.txt": tmp_path / "package" / "LICENSE",
        "lib-NOTICE.txt": tmp_path / "package" / "NOTICE",
    }


def test_override_without_its_licence_is_refused(tmp_path: Path) -> None:
    js = tmp_path / "lib.min.js"
    js.write_bytes(b"x")
    with pytest.raises(BuildError, match=r"LICENSE of fakelib@1\.2\.3 is not beside it"):
        assets.package_files(PKG, environ={"REVSTORY_FAKELIB": str(js)})


def test_override_path_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"^REVSTORY_FAKELIB=.*: no such file — set "):
        assets.package_files(PKG, environ={"REVSTORY_FAKELIB": str(tmp_path / "nope.js")})


def test_install_assets_lays_out_the_site_files(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_files(package: NpmPackage) -> dict[str, Path]:
        out = {}
        for name in package.files.values():
            out[name] = tmp_path / "src" / name
            out[name].parent.mkdir(exist_ok=True)
            out[name].write_text(f"/* {name} */")
        return out

    monkeypatch.setattr(assets, "package_files", fake_files)
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


def test_pinned_integrity_strings_are_well_formed() -> None:
    for package in assets.PACKAGES:
        algo, _, digest = package.integrity.partition("-")
        assert algo == "sha512"
        assert len(base64.b64decode(digest)) == 64


def test_the_real_cache_if_present() -> None:
    """Runs only where a build has already fetched the packages; checks the pinned files."""
    folder = assets.cache_root() / "npm" / f"echarts-{assets.ECHARTS.version}"
    if not assets._cache_is_valid(assets.ECHARTS, folder):
        pytest.skip(f"no cached echarts in {folder} (a build fetches it)")
    files = assets.package_files(assets.ECHARTS, environ={})
    js = files["echarts.min.js"].read_bytes()
    assert len(js) == 1_121_883
    assert b"Apache License" in files["echarts-LICENSE.txt"].read_bytes()
