"""Builds the C extension pybudget._core from csrc/ (zlib for gzip input).

Build switches (environment variables):
  PYBUDGET_SANITIZE=1  AddressSanitizer + UndefinedBehaviorSanitizer build
  PYBUDGET_DEBUG=1     -O0 -g, assertions on
"""
import os
from glob import glob

from setuptools import Extension, setup

sources = sorted(glob("csrc/pb_*.c"))
compile_args = ["-std=c99", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-Wno-missing-field-initializers"]
link_args: list[str] = []
if os.environ.get("PYBUDGET_DEBUG"):
    compile_args += ["-O0", "-g", "-UNDEBUG"]
else:
    compile_args += ["-O3"]  # 4% fewer instructions than -O2 on the bench corpus (make bench-core-count)
if os.environ.get("PYBUDGET_SANITIZE"):
    flags = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=undefined"]
    compile_args += flags + ["-O1", "-g"]
    link_args += flags

setup(
    ext_modules=[
        Extension(
            "pybudget._core",
            sources=sources,
            depends=sorted(glob("csrc/*.h")),
            include_dirs=["csrc"],
            libraries=["z"],
            extra_compile_args=compile_args,
            extra_link_args=link_args,
        )
    ]
)
