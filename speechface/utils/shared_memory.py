"""Arrays that joblib worker processes write their results into, instead of pickling them back."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

import numpy as np

#: RAM-backed file system of Linux; used when it has room to spare, else the temp folder
_SHARED_FS = "/dev/shm"


def _folder_for(nbytes: int) -> str | None:
    if os.path.isdir(_SHARED_FS) and os.access(_SHARED_FS, os.W_OK):
        if shutil.disk_usage(_SHARED_FS).free > 2 * nbytes:  # containers often give it only 64 MB
            return _SHARED_FS
    return None


@contextlib.contextmanager
def shared_array(shape: tuple[int, ...], dtype=np.float32) -> Iterator[np.memmap]:
    """A zero-filled array in a temporary file, writable by joblib's worker processes.

    joblib hands a :class:`numpy.memmap` to its workers by file name, so rows
    they write land in the caller's array without being pickled and sent back.
    The file lives in ``/dev/shm`` when it has room (RAM), else in the temporary
    folder, and is removed on exit. On POSIX systems the array stays valid
    after that (the mapping outlives the file's name); on Windows, copy what
    you need out of it inside the ``with`` block.

    Parameters
    ----------
    shape : tuple of int
        Shape of the array.
    dtype : data-type, default=np.float32
        Element type.

    Yields
    ------
    numpy.memmap
        The shared array.
    """
    nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    fd, path = tempfile.mkstemp(prefix="speechface-", suffix=".dat", dir=_folder_for(nbytes))
    os.close(fd)
    try:
        array = np.memmap(path, dtype=dtype, mode="w+", shape=shape)
        yield array
        del array
    finally:
        with contextlib.suppress(OSError):  # Windows keeps a file that is still mapped
            os.unlink(path)
