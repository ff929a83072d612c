"""Do dihedral views of a task decorrelate the painter's misses? 4 samples per view, 8 views, default eval tasks."""
import json
import sys

import numpy as np
import torch

from dsl.sampler import sample_task
from her_arc.evaluate import EvalConfig
from her_arc.painter import grid_encoding, resolve_model_dir
from her_arc.programs import program_from_completion
from her_arc.prompt import encode_task, with_program_start
from her_arc.sampling import SamplingConfig, make_sampler
from her_arc.sandbox import ExecutorPool

torch.set_num_threads(1)
VIEWS = {
    "id": lambda g: g, "rot90": lambda g: np.rot90(g, 1), "rot180": lambda g: np.rot90(g, 2),
    "rot270": lambda g: np.rot90(g, 3), "flipud": lambda g: g[::-1], "fliplr": lambda g: g[:, ::-1],
    "transpose": lambda g: g.T, "antitranspose": lambda g: np.rot90(g, 2).T,
}
model = sys.argv[1] or None
k = int(sys.argv[2]) if len(sys.argv) > 2 else 4
out = sys.argv[3]
cfg = EvalConfig(model=model)
md = resolve_model_dir(model)
tasks = [sample_task(np.random.default_rng([cfg.seed, i]), cfg.sampler_config()) for i in range(cfg.n_tasks)]
enc = grid_encoding(md)
s = make_sampler(SamplingConfig(model=str(md), backend="transformers", top_p=0.95, max_new_tokens=320, seed=cfg.seed,
                                enable_lora=False, groups=((k, 0.5),)))
res = {}
with ExecutorPool(timeout_s=1.0) as pool:
    for name, g in VIEWS.items():
        ins = [[np.ascontiguousarray(g(x)) for x in t.inputs] for t in tasks]
        outs = [[np.ascontiguousarray(g(x)) for x in t.outputs] for t in tasks]
        pairs = [list(zip(i, o, strict=True)) for i, o in zip(ins, outs, strict=True)]
        prompts = [with_program_start(encode_task(p, enc)) for p in pairs]
        comps = s.sample(prompts, [(k, 0.5)])
        correct = []
        for i, o, cs in zip(ins, outs, comps, strict=True):
            progs = [program_from_completion(c.text) for c in cs]
            run = [p for p in progs if p]
            rr = pool.execute(run, i) if run else []
            right = [r.status == "ok" and all((a == b).all() for a, b in zip(r.outputs, o, strict=True)) for r in rr]
            correct.append(sum(right))
        res[name] = correct
        print(name, "pass@1", np.mean(correct) / k, f"pass@{k}", np.mean([c > 0 for c in correct]), flush=True)
s.close()
json.dump({"k": k, "n_draws": [t.n_draws for t in tasks], "correct": res}, open(out, "w"))
c = np.array([res[v] for v in VIEWS]) / k  # views x tasks
print("1 per view over 8 views, expected pass@8:", np.mean(1 - np.prod(1 - c, axis=0)))
print("id+transpose, 4 each: pass@8", np.mean((np.array(res["id"]) + np.array(res["transpose"])) > 0))
print(f"any view any sample (pass@{8*k}):", np.mean(c.sum(0) > 0))
