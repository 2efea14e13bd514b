"""atheris fuzz target over pybudget._core.Parser: feed() in pieces, finish().

    make fuzz-python SECONDS=60

builds the extension with clang, ASan + UBSan and libFuzzer coverage
(-fsanitize=fuzzer-no-link) into build/fuzz-py and runs this file with
atheris' asan_with_fuzzer.so preloaded, so the C core's coverage guides it.
By hand, against the regular build (then only Python code is instrumented and
the fuzzer is blind to the C side):

    python3 setup.py build_ext --inplace
    python3 tests/fuzz/fuzz_python.py -max_total_time=60 CORPUS_DIR

The first input byte chooses the chunk plan and options, the second a seed,
the rest is the document; every plan must give the same records as one
whole-buffer feed, or the same error, and reset() must give them again.
"""
from __future__ import annotations

import sys
import zlib

import atheris

with atheris.instrument_imports():
    from pybudget import _core


def _parse(data: bytes, chunks: list[int], opts: dict[str, int], parser: "_core.Parser | None" = None):
    p = parser or _core.Parser(**opts)
    records: list[tuple] = []
    pos = 0
    try:
        for size in chunks:
            records += [tuple(r) for r in p.feed(data[pos:pos + size])]
            pos += size
        records += [tuple(r) for r in p.feed(data[pos:])]
        records += [tuple(r) for r in p.finish()]
        error = None
    except _core.Error as exc:
        error = type(exc).__name__, getattr(exc, "code", None)
    # an error or a finish is sticky: feed after it raises
    try:
        p.feed(b"x")
        raise AssertionError("feed after the end was accepted")
    except _core.Error:
        pass
    return records, error


def TestOneInput(data: bytes) -> None:
    if len(data) < 2:
        return
    flags, seed = data[0], data[1]
    doc = data[2:]
    if flags & 0x40:
        doc = zlib.compress(doc, seed % 10, wbits=31)  # gzip wrapper
    opts = {"strict": bool(flags & 0x08)}
    if flags & 0x10:
        opts.update(max_line=64 + seed, max_cells=1 + seed % 9, max_table_rows=1 + seed % 5,
                    max_inflate_ratio=2 + seed % 20)
    plan = flags & 7
    n = len(doc)
    if plan == 0:
        chunks: list[int] = []
    elif plan == 1:
        chunks = [seed * 257 % (n + 1)]
    else:
        size = (1, 2, 3, 7, 64, 4096)[plan - 2]
        chunks = [size] * (n // size)
    whole, werr = _parse(doc, [], opts)
    parser = _core.Parser(**opts)
    got, gerr = _parse(doc, chunks, opts, parser)
    if "GZIP_RATIO" not in repr((werr, gerr)):
        assert werr == gerr, (werr, gerr)
        if werr is None:
            assert got == whole, "records depend on the chunks"
    if flags & 0x20:  # reset and reuse
        parser.reset()
        again, aerr = _parse(doc, chunks, opts, parser)
        assert aerr == gerr and (gerr is not None or again == got), "reset changed the result"


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
