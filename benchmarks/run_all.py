"""`make bench`: every benchmark in turn, each printing ratios against a
baseline measured in the same run. Not part of `make test` (timings are
machine-dependent); record the figures in the README with the machine."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["crawl_throughput.py", "--pages", "2000"],
    ["extraction_quality.py"],
    ["nlp_throughput.py", "--docs", "20000"],
    ["discovery_quality.py"],
    ["incremental.py", "--posts", "40", "--runs", "10"],
]


def main() -> int:
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"python {platform.python_version()}, {sys.platform}")  # fmt: skip
    failed = 0
    for bench in BENCHMARKS:
        script = HERE / bench[0]
        if not script.exists():
            continue
        print(f"\n== {bench[0]} {' '.join(bench[1:])}", flush=True)
        # the project importable also when it is not installed (python benchmarks/run_all.py)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p
        )}  # fmt: skip
        code = subprocess.call([sys.executable, str(script), *bench[1:]], cwd=HERE.parent, env=env)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
