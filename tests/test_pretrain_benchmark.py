import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "pretrain.py"


def _script():
    spec = importlib.util.spec_from_file_location("pretrain_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pretraining_benchmark_writes_its_table_with_the_workers_needed(tmp_path):
    assert _script().main(["--sizes", "tiny", "--steps", "1", "--generate", "1", "--out-dir", str(tmp_path)]) == 0
    record = json.loads((tmp_path / "pretrain.json").read_text())
    assert [r["precision"] for r in record["rows"]] == ["fp32", "bf16 autocast"]
    assert record["generation"]["examples"] == 128 and record["generation"]["examples_per_s"] > 0
    table = (tmp_path / "pretrain.md").read_text()
    assert "| tiny | " in table and "workers to feed it" in table


def test_the_pretraining_benchmark_refuses_a_size_it_does_not_know(tmp_path):
    with pytest.raises(SystemExit):
        _script().main(["--sizes", "huge", "--out-dir", str(tmp_path)])
