"""Hard links with a copy fallback for the output folder (atomic writes: `budgetlens.files`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from budgetlens.files import PART_SUFFIX, replace_durably


def link_or_copy(src: Path, dst: Path) -> None:
    """Make `dst` hold the bytes of `src`: a hard link when the filesystem allows, else a copy."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}{PART_SUFFIX}")
    tmp.unlink(missing_ok=True)
    try:
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
        replace_durably(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
