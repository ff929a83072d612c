"""The ``her-arc`` command line: help lists every command without importing them; ``her-arc tasks``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import her_arc
from her_arc import cli
from her_arc.tasks import bundled_task_names

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "her_arc.cli", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_help_lists_every_command_and_imports_no_command_module():
    code = (
        "import sys\n"
        "from her_arc.cli import main\n"
        "status = main(['--help'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('her_arc.cli.') or m in ('torch', 'numpy'))\n"
        "print('LOADED', loaded, status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    for name, spec in cli.COMMANDS.items():
        assert name in result.stdout
        assert spec.help in " ".join(result.stdout.split())
    assert "LOADED [] 0" in result.stdout


@pytest.mark.parametrize("name", list(cli.COMMANDS))
def test_every_registered_command_starts_and_shows_its_own_help(name, capsys):
    assert cli.main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: her-arc {name}") and cli.COMMANDS[name].help in " ".join(out.split())


def test_python_dash_m_runs_the_command_line():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"her-arc {her_arc.__version__}"


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"her-arc {her_arc.__version__}"
    assert her_arc.__version__ == tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_no_command_prints_help_and_fails(capsys):
    assert cli.main([]) == 2
    assert "COMMAND" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys):
    assert cli.main(["paint"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_tasks_lists_bundled_tasks(capsys):
    assert cli.main(["tasks"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["name", "shape", "train", "test"]
    table = [line.split() for line in out[1:]]
    assert ["squares-12", "6x8", "1", "0"] in table
    assert ["squares-100", "20x20", "1", "0"] in table
    assert [row[0] for row in table] == bundled_task_names()
    assert cli.main(["tasks", "list"]) == 0


def test_tasks_show_prints_the_grids(capsys):
    assert cli.main(["tasks", "show", "squares-12"]) == 0
    out = capsys.readouterr().out
    assert "train[0].input 6x8" in out and "output 6x8" in out
    assert "00000000              11447711" in out
    assert out.count("22558822") == 2


def test_tasks_show_a_file_with_test_inputs(tmp_path, capsys):
    path = tmp_path / "t.json"
    path.write_text('{"train": [{"input": [[1]], "output": [[2, 3]]}], "test": [{"input": [[4]]}]}')
    assert cli.main(["tasks", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("t: 1 train pair(s), 1 test input(s)")
    assert "test[0].input 1x1" in out


@pytest.mark.parametrize(
    "content,message",
    [
        (None, "no such file or bundled task"),
        ('{"train": [{"input": [[1]], "output": [[11]]}]}', "train[0].output: value 11"),
        ('{"train": [', "not valid JSON"),
    ],
)
def test_bad_task_input_exits_2_with_a_message_and_no_traceback(tmp_path, content, message):
    target = "no-such-task"
    if content is not None:
        target = str(tmp_path / "bad.json")
        Path(target).write_text(content)
    result = run_cli("tasks", "show", target)
    assert result.returncode == 2
    assert result.stderr.startswith("her-arc: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_command_module_gives_a_clear_error(monkeypatch, capsys):
    monkeypatch.setitem(cli.COMMANDS, "ghost", cli.Command("her_arc.no_such_cli", "a command not installed"))
    assert cli.main(["ghost"]) == 1
    assert (
        "the 'ghost' command is not available in this installation (module her_arc.no_such_cli is missing)"
        in (capsys.readouterr().err)
    )


def test_command_whose_dependency_is_missing(monkeypatch, capsys, tmp_path):
    module = tmp_path / "needs_missing_dep_cli.py"
    module.write_text("import not_a_real_package_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.COMMANDS, "dep", cli.Command("needs_missing_dep_cli", "needs a package"))
    assert cli.main(["dep"]) == 1
    assert "needs the package 'not_a_real_package_xyz'" in capsys.readouterr().err


def test_command_modules_get_their_own_options(monkeypatch, capsys, tmp_path):
    (tmp_path / "echo_cli.py").write_text(
        "def configure(parser):\n"
        "    parser.add_argument('--times', type=int, default=1)\n"
        "def run(args):\n"
        "    print('echo' * args.times)\n"
        "    return 7\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.COMMANDS, "echo", cli.Command("echo_cli", "say echo"))
    assert cli.main(["echo", "--times", "2"]) == 7
    assert capsys.readouterr().out == "echoecho\n"
    assert cli.main(["echo", "--times", "x"]) == 2


def test_installed_console_script_finds_bundled_tasks(tmp_path):
    """After `pip install .` (as `make test` does), the installed package ships the task files."""
    script = Path(sys.executable).parent / "her-arc"
    if not script.exists():
        pytest.skip("her-arc is not installed in this environment")
    # run outside the checkout so that the installed package, not the source tree, is imported
    result = subprocess.run(
        [str(script), "tasks", "show", "squares-100"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "11447733662255114477" in result.stdout
    where = subprocess.run(
        [sys.executable, "-c", "import her_arc.tasks as t; print(t._bundled_dir())"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "site-packages" in where.stdout, where.stdout + where.stderr


def test_every_package_is_in_the_distribution():
    """pyproject lists packages explicitly: a subpackage missing there is silently left out of
    `pip install .`, and a listed one that does not exist breaks the build."""
    setuptools_config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setuptools_config["packages"])
    package_dirs = setuptools_config.get("package-dir", {})
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for top in ("dsl", "her_arc")
        for init in (REPO / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    for package in listed:
        directory = REPO / package_dirs.get(package, package.replace(".", "/"))
        assert (directory / "__init__.py").is_file(), (
            f"{package} is listed in pyproject.toml but {directory} is missing"
        )


def test_pretrain_rejects_a_bad_curriculum_file_before_training(tmp_path, capsys):
    bad = tmp_path / "stages.json"
    bad.write_text('[{"until": 1.0, "sampler": {"max_sides": 20}}]')
    assert cli.main(["pretrain", "--curriculum", str(bad), "--output-dir", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "max_sides" in err and "stage 0" in err
    assert not (tmp_path / "run").exists()
