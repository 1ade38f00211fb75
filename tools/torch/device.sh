#!/usr/bin/env bash
# One run of the PyTorch twin on a single GPU machine: no network, PyTorch installed. It
# continues training the shipped emoji32 model for a given wall time and writes into the
# output folder the EMA weights (emoji32-gpu.safetensors.zst, for tools/sample, tools/eval and
# the site), loss.csv, the run's JSON summary and its log; it prints images/s and model FLOP/s.
#
#   tools/torch/device.sh [SECONDS [OUT]]      defaults: 420 s, $OUT or runs/device
#
# Environment: BATCH (images per step, default 512), LR (default 1e-4, the shipped model's
# last stages ran at 1e-4 and 5e-5), STEPS (the schedule's length, default 20000: the wall
# time ends the run first), INIT (the weight file to continue, default the shipped one),
# FLOWSPHERE_PYTHON (the interpreter, default python3).
#
# The machine needs the emoji32 cache from this one: carry .cache/emoji32-32.fsds (made by
# `go run ./tools/data emoji32`, 12 MB). Without the zstandard module or the zstd command there,
# carry an uncompressed copy of the weights (zstd -dc pretrained/emoji32.safetensors.zst >
# emoji32.safetensors) and set INIT to it; the twin then writes uncompressed zstd frames.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-420}
out=${2:-${OUT:-runs/device}}
py=${FLOWSPHERE_PYTHON:-python3}
batch=${BATCH:-512}
init=${INIT:-pretrained/emoji32.safetensors.zst}
cache=${FLOWSPHERE_CACHE:-.cache}/emoji32-32.fsds
work=$(mktemp -d) # the run folder: its checkpoint is too large to bring back
trap 'rm -rf "$work"' EXIT

[ -f "$cache" ] || { echo "device.sh: no $cache: carry it from a machine that ran go run ./tools/data emoji32" >&2; exit 1; }
mkdir -p "$out"
"$py" - <<'PY' | tee "$out/device.txt"
import platform, torch
print(f"python {platform.python_version()}, torch {torch.__version__}, CUDA {torch.version.cuda}")
for i in range(torch.cuda.device_count()):
    print(f"GPU {i}: {torch.cuda.get_device_name(i)}")
if not torch.cuda.is_available():
    print("no GPU: training on the CPU")
PY

"$py" tools/torch/train.py --data "$cache" --init "$init" --ae-warmup 0 --lr "${LR:-1e-4}" \
	--steps "${STEPS:-20000}" --batch "$batch" --max-seconds "$seconds" --log-every 20 \
	--out "$work/emoji32-gpu" 2> >(tee "$out/train.log" >&2) | tee "$out/summary.json"

cp "$work/emoji32-gpu/emoji32-gpu.safetensors.zst" "$work/emoji32-gpu/loss.csv" "$out/"
"$py" - "$out/summary.json" <<'PY' | tee -a "$out/device.txt"
import json, sys
s = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
print(f"{s['device']}, batch {s['batch']}{' bf16' if s['amp'] else ''}: {s['steps_this_run']} steps in {s['seconds']:.0f} s, "
      f"{s['images_per_sec']:.1f} images/s, {s['model_flops_per_sec'] / 1e12:.2f} model TFLOP/s, "
      f"final loss {s['final_loss']['total']:.4f}")
PY
