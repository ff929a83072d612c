import shutil

from her_arc.lm.training import AdapterTrainer
from her_arc.painter import resolve_model_dir


def test_a_training_round_learns_without_writing_into_the_model_directory(tmp_path):
    """The base model may be a read-only install (the shipped painter in site-packages): training must not touch it."""
    model_dir = tmp_path / "painter"
    shutil.copytree(resolve_model_dir(None), model_dir)
    before = sorted(p.relative_to(model_dir) for p in model_dir.rglob("*"))
    trainer = AdapterTrainer(model_dir, seed=5)
    assert trainer.seed == 5 and trainer.model.peft_config["default"].lora_alpha == 2 * trainer.config.lora_r
    prompt = "input 3x3\n0-2 0-2:0\nchanges 3x3\n1 0-2:4\nprogram\n"
    completion = "def task(img):\n    draw_horizontal_line(img, 1, 4)\n    return img\n"
    first = trainer.train([(prompt, completion)] * 8)
    second = trainer.train([(prompt, completion)] * 8)
    assert first.examples == 8 and second.loss < first.loss
    assert sorted(p.relative_to(model_dir) for p in model_dir.rglob("*")) == before
