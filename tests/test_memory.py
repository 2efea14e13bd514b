"""Streaming keeps memory bounded by one chunk and one table, not by the file."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import seed_paths

SCRIPT = textwrap.dedent("""
    import sys, pybudget

    seed = open(sys.argv[1], 'rb').read()
    target = int(sys.argv[2]) << 20

    class Repeating:
        '''A file object serving the seed again and again: a big corpus file, never in memory.'''
        def __init__(self):
            self.sent = 0
        def read(self, n):
            if self.sent >= target:
                return b''
            self.sent += len(seed)
            return seed

    def peak_mb():
        # VmHWM is this process's own peak (ru_maxrss would include the parent's)
        return int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024

    # warm up: one document, so allocator pools and caches exist before the baseline
    sum(1 for _ in pybudget.stream(seed))
    base = peak_mb()
    rows = sum(1 for r in pybudget.stream(Repeating()) if r.kind == 'row')
    print(rows, round(peak_mb() - base, 1))
""")


def test_streaming_a_large_input_stays_small():
    paths = seed_paths()
    if not paths:
        import pytest

        pytest.skip("../shared/seeds is not present")
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(paths[1]), "64"], capture_output=True, text=True,
                         timeout=300, check=True)
    rows, growth_mb = out.stdout.split()
    # 64 MiB of documents: ~1,700 copies of the seed, every row parsed …
    assert int(rows) > 200_000
    # … while the process grows by less than 20 MB (a whole-file approach would need > 64 MB);
    # under AddressSanitizer freed memory is held in quarantine on purpose, so no bound there
    if not os.environ.get("PYBUDGET_EXPECT_ASAN"):
        assert float(growth_mb) < 20, out.stdout
