#!/usr/bin/env bash
# Training throughput of aiotwin against PyTorch on this machine, side by side in one run
# (the peer benchmark ../shared/peers/torch_cnn_bench.py, or $TORCH_BENCH).
#   scripts/bench-vs-torch.sh [STEPS]
# PyTorch comes from PyPI into .venv-torch (a large download, once), or from $TORCH_PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-300}
peer=${TORCH_BENCH:-../shared/peers/torch_cnn_bench.py}
[ -f "$peer" ] || { echo "bench-vs-torch: peer benchmark $peer not found (set TORCH_BENCH)" >&2; exit 1; }
python=${TORCH_PYTHON:-.venv-torch/bin/python}
if ! "$python" -c "import torch" 2>/dev/null; then
  python3 -m venv .venv-torch && .venv-torch/bin/pip install --quiet torch numpy
  python=.venv-torch/bin/python
fi
swift build -c release --product aiotwin >/dev/null
out=$(mktemp -d)
for threads in 1 2; do
  for batch in 32 64; do
    "$python" "$peer" --threads "$threads" --batch "$batch" --steps "$steps" 2>/dev/null > "$out/torch-$threads-$batch.txt"
  done
done
.build/release/aiotwin bench train --json --steps "$steps" --batch 32 64 --threads 1 2 > "$out/aiotwin.json"
python3 - "$out" <<'PY'
import json, re, sys, glob, os
out = sys.argv[1]
rows = json.load(open(os.path.join(out, "aiotwin.json")))
torch = {}
for f in glob.glob(os.path.join(out, "torch-*.txt")):
    for line in open(f):
        m = re.search(r"(\d+x\d+x\d+) batch=(\d+) threads=(\d+): (\d+) samples/s", line)
        if m: torch[(m[1], int(m[2]), int(m[3]))] = float(m[4])
print("input      batch threads  aiotwin/s   torch/s   ratio  aiotwin GFLOP/s")
for r in rows:
    t = torch.get((r["input"], r["batch"], r["threads"]))
    ratio = f"{r['samples_per_s'] / t:5.2f}x" if t else "   n/a"
    print(f"{r['input']:10} {r['batch']:5} {r['threads']:7} {r['samples_per_s']:10.0f} {t or 0:9.0f} {ratio} {r['gflops']:10.1f}")
PY
