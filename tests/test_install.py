"""An installed, non-editable copy finds its catalogue from any folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds and installs a wheel: the full run only

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project built as a wheel and installed (without dependencies) into a folder."""
    base = tmp_path_factory.mktemp("install")
    wheels = base / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = wheels.glob("essmap-*.whl")
    target = base / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ESSMAP_CATALOGUE"}
    env["PYTHONPATH"] = str(target)
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_wheel_carries_the_catalogue_and_schema(installed):
    assert (installed / "essmap" / "data" / "structures.yaml").read_bytes() == (
        ROOT / "data" / "structures.yaml"
    ).read_bytes()
    assert (installed / "essmap" / "structures.schema.json").is_file()
    # the data licence travels with the data, the code licence with the metadata
    assert (installed / "essmap" / "data" / "LICENSE").read_text().startswith("ODC Open Database License")
    licences = [p.name for p in installed.glob("essmap-*.dist-info/licenses/**/*") if p.is_file()]
    assert sorted(licences) == ["LICENSE", "LICENSE"]


def test_installed_copy_runs_from_another_folder(installed, tmp_path):
    where = run_installed(
        installed, tmp_path, "-c", "import essmap.catalogue as c; print(c.__file__); print(c.default_path())"
    )
    module_file, catalogue_file = where.stdout.split()
    assert module_file.startswith(str(installed)) and catalogue_file.startswith(str(installed))
    result = run_installed(
        installed,
        tmp_path,
        "-m",
        "essmap",
        "find",
        "--region",
        "bretagne",
        "--stage",
        "creation",
        "-f",
        "json",
    )
    assert result.returncode == 0, result.stderr
    assert '"id": "trajectoiress"' in result.stdout


def test_console_script_is_installed(installed, tmp_path):
    script = installed / "bin" / "essmap"
    assert script.is_file()
    result = run_installed(installed, tmp_path, str(script), "--version")
    assert result.returncode == 0 and result.stdout.startswith("essmap ")


def test_the_installed_wheel_speaks_both_languages(installed, tmp_path):
    assert (installed / "essmap" / "locale" / "fr" / "LC_MESSAGES" / "essmap.mo").is_file()
    for lang, expected in (("fr", "vouliez-vous dire 'creation'"), ("en", "did you mean 'creation'")):
        env = {k: v for k, v in os.environ.items() if k != "ESSMAP_CATALOGUE"}
        env.update(PYTHONPATH=str(installed), ESSMAP_LANG=lang)
        result = subprocess.run(
            [sys.executable, "-m", "essmap", "find", "--stage", "creaton"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2 and expected in result.stderr


def test_the_installed_wheel_exports_data_inclusion_and_knows_the_check(installed, tmp_path):
    """What the registry issue names, from the wheel: the national export, the check's options
    (the check itself is tested offline in test_online.py), the identifiers in the format."""
    import json

    exported = run_installed(installed, tmp_path, "-m", "essmap", "export", "-f", "data-inclusion", "-")
    assert exported.returncode == 0, exported.stderr
    rows = json.loads(exported.stdout)
    assert rows and all(r["source"] == "essmap" for r in rows)
    help_text = run_installed(installed, tmp_path, "-m", "essmap", "check", "--help")
    assert help_text.returncode == 0 and "--suggest-ids" in help_text.stdout
    refused = run_installed(installed, tmp_path, "-m", "essmap", "check")
    assert refused.returncode == 2 and "--online" in refused.stderr
    schema = json.loads((installed / "essmap" / "structures.schema.json").read_text(encoding="utf-8"))
    assert {"siren", "siret", "rna"} <= set(schema["$defs"]["structure"]["properties"])


def test_the_installed_wheel_carries_the_web_pages(installed, tmp_path):
    """`essmap serve` from the wheel: its templates and static files are in the package."""
    assert (installed / "essmap" / "templates" / "base.html").is_file()
    assert (installed / "essmap" / "static" / "style.css").is_file()
    assert (installed / "essmap" / "static" / "live.js").is_file()
    help_text = run_installed(installed, tmp_path, "-m", "essmap", "serve", "--help")
    assert help_text.returncode == 0 and "--port" in help_text.stdout
