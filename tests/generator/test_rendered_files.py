"""templates/ is what the generator renders now (snapshot), twins agree, and the CLI's check."""

import json
import shutil
from pathlib import Path

import pytest
import yaml
from cfn_flip import load_yaml

from generator.__main__ import main, stale_files
from generator.render import DIAGRAM_END, DIAGRAM_START, rendered_files, to_json
from tests.conftest import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "templates"
REGENERATE = "Run `python -m generator` and commit templates/ and README.md."


def test_committed_files_equal_what_the_generator_renders(rendered):
    stale = stale_files(rendered_files())
    diffs = "".join(diff for _, diff in stale)
    assert not stale, f"{REGENERATE}\n{diffs}"
    for name, template in rendered.items():
        committed = json.loads((TEMPLATES / f"uploadtrail-{name}.json").read_text())
        assert committed == template, REGENERATE


@pytest.mark.parametrize("profile", ["dev", "prod"])
def test_json_and_yaml_twins_are_the_same_document(profile):
    from_json = json.loads((TEMPLATES / f"uploadtrail-{profile}.json").read_text())
    yaml_text = (TEMPLATES / f"uploadtrail-{profile}.yaml").read_text()
    assert load_yaml(yaml_text) == from_json
    assert "!GetAtt" in yaml_text and "!Sub" in yaml_text  # short-form tags, as people write


def test_rendering_twice_gives_the_same_bytes():
    assert rendered_files() == rendered_files()
    assert to_json({"b": 1, "a": [2]}) == '{\n  "a": [\n    2\n  ],\n  "b": 1\n}\n'


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    shutil.copy(PROJECT_ROOT / "README.md", tmp_path / "README.md")
    return tmp_path


def test_check_passes_on_fresh_files_and_fails_with_a_diff_on_stale_ones(project_copy, capsys):
    assert main(["--check", "--root", str(project_copy)]) == 0
    stale = project_copy / "templates" / "uploadtrail-dev.json"
    stale.write_text(stale.read_text().replace('"PAY_PER_REQUEST"', '"PROVISIONED"'))
    (project_copy / "templates" / "uploadtrail-prod.mmd").unlink()
    capsys.readouterr()
    assert main(["--check", "--root", str(project_copy)]) == 1
    out = capsys.readouterr().out
    changed = [line.split() for line in out.splitlines() if "BillingMode" in line]
    assert changed == [["-", '"BillingMode":', '"PROVISIONED",'], ["+", '"BillingMode":', '"PAY_PER_REQUEST",']]
    assert "uploadtrail-prod.mmd (rendered now)" in out
    assert "2 generated file(s) are stale; run `python -m generator`" in out


def test_render_writes_every_file_and_then_check_passes(tmp_path, capsys):
    (tmp_path / "README.md").write_text(f"# x\n{DIAGRAM_START}\nold\n{DIAGRAM_END}\nend\n")
    assert main(["--root", str(tmp_path)]) == 0
    written = sorted(p.name for p in (tmp_path / "templates").iterdir())
    assert written == [f"uploadtrail-{p}.{ext}" for p in ["dev", "prod"] for ext in ["json", "mmd", "yaml"]]
    readme = (tmp_path / "README.md").read_text()
    assert "old" not in readme and "```mermaid\nflowchart LR" in readme and readme.endswith("end\n")
    assert main(["--check", "--root", str(tmp_path)]) == 0


def test_a_readme_without_markers_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "README.md").write_text("# no markers\n")
    assert main(["--root", str(tmp_path)]) == 2
    assert "must hold the markers" in capsys.readouterr().err
    assert not (tmp_path / "templates").exists()


def test_yaml_module_reads_the_short_tags_only_through_cfn_flip():
    text = (TEMPLATES / "uploadtrail-dev.yaml").read_text()
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load(text)
