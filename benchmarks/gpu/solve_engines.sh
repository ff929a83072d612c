#!/usr/bin/env bash
# One vLLM engine for many tasks against one engine per task, on a CUDA GPU: the GPU path of
# benchmarks/solve_engines.py, as one prepared run.
#
#   pip install '.[cuda,dev]'                # CUDA vLLM (her-arc[cuda]) with its CUDA torch
#   OUT=/tmp/engines bash benchmarks/gpu/solve_engines.sh [TASKS] [WORKERS]
#
# Runs TASKS (default 16) ARC-AGI-1 training tasks, 2 epochs each, learning per task, with WORKERS (default 8)
# searches at once: first every search with its own engine (vLLM in each process, adapters per request), then one
# shared server (--engine shared) that every search loads its adapter into. Writes $OUT/engines.md and .json:
# tasks/hour, and the peak memory of the run's processes (host PSS; the GPU's own is in nvidia-smi.log, sampled
# every 2 s). Each engine reserves gpu_memory_utilization (0.85) of the GPU by default, so with an engine per
# task the variant gives each 0.85 / WORKERS (--gpu-share).
#
# The lent H200 machine has no vLLM and no package registry, and CUDA vLLM's wheels are far over what a device
# call carries (64 MiB), so this runs on a user's GPU machine with her-arc[cuda] installed.
set -euo pipefail
TASKS=${1:-16}
WORKERS=${2:-8}
OUT=${OUT:-benchmarks/results/solve/gpu}
mkdir -p "$OUT"
python3 -c "import vllm, torch; assert torch.cuda.is_available(), 'no CUDA GPU'; print('vllm', vllm.__version__, torch.cuda.get_device_name())"
nvidia-smi --query-gpu=timestamp,memory.used,utilization.gpu --format=csv -l 2 > "$OUT/nvidia-smi.log" &
SMI=$!
trap 'kill $SMI 2>/dev/null || true' EXIT
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
SHARE=$(python3 -c "print(round(0.85 / $WORKERS, 3))")
python3 benchmarks/solve_engines.py --tasks "$TASKS" --workers "$WORKERS" --variants vllm-per-task shared --gpu-share "$SHARE" \
    --out "$OUT/engines" 2>&1 | tee "$OUT/engines.log"
