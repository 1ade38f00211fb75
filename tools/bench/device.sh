#!/usr/bin/env bash
# One run of tools/bench on a machine with a GPU, no Go and no network: it runs the native
# bench built on another machine on the GPU's Vulkan driver, every peer (gonum, the CPU
# backend's paths, WebGPU), and writes into the output folder
#
#   bench.json   tools/bench -json: GFLOP/s, images/s, dispatches, submissions, readbacks
#   bench.log    its progress and wgpu's messages
#   peak.json    per sgemm and matmul row, WebGPU's GFLOP/s and its share of the GPU's fp32 peak
#   device.txt   the adapter, the notes and the peak table
#
#   tools/bench/device.sh [OUT]      default: $OUT, else runs/device-bench
#
# Build the binary here first (GOEXPERIMENT=simd as ./build.sh bench does; it links only the C
# library, and loads the Vulkan loader at run time):
#
#   GOEXPERIMENT=simd go build -o bin/bench ./tools/bench
#
# Environment: PEAK_TFLOPS, the GPU's fp32 peak (default 67, an H200's or H100 SXM's fp32
# rate without tensor cores); BENCH, the binary (default bin/bench); ONLY and TIME, tools/bench's
# -only and -time (default every workload, 300ms: about 2 minutes on a 16-core machine with a
# fast GPU); LIMIT, seconds before the bench is stopped (default 480, so one run ends within
# 9 minutes); VULKAN_LIB_DIR, a folder holding libvulkan.so.1 where the system has no Vulkan
# loader (Debian's libvulkan1 unpacked); VK_DRIVER_FILES, the Vulkan loader's own variable,
# the driver's ICD file (nvidia_icd.json) where the loader finds none; FLOWSPHERE_PYTHON,
# the interpreter (default python3). It exits with status 1 when WebGPU did not run.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:-${OUT:-runs/device-bench}}
bench=${BENCH:-bin/bench}
py=${FLOWSPHERE_PYTHON:-python3}
peak=${PEAK_TFLOPS:-67}

[ -x "$bench" ] || { echo "device.sh: no $bench: build it with GOEXPERIMENT=simd go build -o $bench ./tools/bench" >&2; exit 1; }
if [ -n "${VULKAN_LIB_DIR:-}" ]; then
	export LD_LIBRARY_PATH=$VULKAN_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
# wgpu-native warns about a missing windowing system without this; the warnings are harmless.
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
mkdir -p "$out"

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >"$out/device.txt" || : >"$out/device.txt"
timeout "${LIMIT:-480}" "$bench" -json -time "${TIME:-300ms}" ${ONLY:+-only "$ONLY"} >"$out/bench.json" 2>"$out/bench.log" ||
	{ echo "device.sh: the bench failed or ran past ${LIMIT:-480} s; see $out/bench.log" >&2; exit 1; }

"$py" - "$out" "$peak" <<'PY' | tee -a "$out/device.txt"
import json, sys
out, peak = sys.argv[1], float(sys.argv[2])
rep = json.load(open(f"{out}/bench.json"))
for p in rep["peers"]:
    print(f"{p['name']}: {p['detail']}")
for n in rep.get("notes") or []:
    print(f"note: {n}")
rows = [{"op": r["op"], "shape": r["shape"], "gflops": r["gflops"]["webgpu"],
         "peak_percent": 100 * r["gflops"]["webgpu"] / (1000 * peak)}
        for r in rep["rows"] if r["op"] in ("sgemm", "matmul") and r["gflops"].get("webgpu")]
json.dump({"peak_tflops": peak, "rows": rows}, open(f"{out}/peak.json", "w"), indent=2)
print(f"WebGPU against an fp32 peak of {peak:g} TFLOP/s:")
for r in rows:
    print(f"  {r['op']:6} {r['shape']:16} {r['gflops']:10.1f} GFLOP/s {r['peak_percent']:8.3g} %")
for r in rep["rows"]:
    for p, w in (r.get("work") or {}).items():
        print(f"{r['op']} {r['shape']} on {p}: {r.get('seconds', {}).get(p, 0):.3f} s, {w['dispatches']} dispatches, "
              f"{w['submissions']} submissions, {w['readbacks']} readbacks")
if not any(p["name"] == "webgpu" for p in rep["peers"]):
    sys.exit("device.sh: WebGPU did not run (see the notes)")
PY
