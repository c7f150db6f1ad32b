"""Extract features of a whole folder on a Dask cluster, through joblib's Dask backend.

Here the cluster is a local one (2 worker processes on this machine). To use a
real cluster, connect to its scheduler instead of starting one:

    client = Client("tcp://scheduler-host:8786")

and run the same ``parallel_config(backend="dask")`` block: ``n_jobs=-1`` then
spreads the clips over every worker (each needs speechface installed and the
files at the same paths, e.g. on shared storage). Ray works the same way with
``from ray.util.joblib import register_ray; register_ray()`` and
``backend="ray"``.

    python examples/dask_features.py          # real RAVDESS, all 1,440 clips
    SPEECHFACE_EXAMPLE_SMALL=1 python examples/dask_features.py
"""

import time

import numpy as np
from _data import SMALL, ravdess_dir
from dask.distributed import Client, LocalCluster, get_task_stream
from joblib import parallel_config

from speechface import MFCCTransformer, load_ravdess

if __name__ == "__main__":
    paths = load_ravdess(ravdess_dir()).data
    # tones are not speech: the small run reads them with RAVDESS timing
    mfcc = MFCCTransformer(n_jobs=-1, vad=not SMALL).fit(paths)

    start = time.perf_counter()
    local = mfcc.transform(paths)  # joblib's default backend: all local cores
    print(f"local processes: {len(paths)} clips in {time.perf_counter() - start:.1f} s")

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        with parallel_config(backend="dask"), get_task_stream(client) as tasks:
            start = time.perf_counter()
            on_dask = mfcc.transform(paths)
        workers = {task["worker"] for task in tasks.data}
        print(
            f"dask cluster: {len(paths)} clips in {time.perf_counter() - start:.1f} s, "
            f"{len(tasks.data)} tasks on {len(workers)} workers"
        )
    if not np.allclose(local, on_dask, atol=1e-3):
        raise SystemExit("the features differ between the two backends")
    print("same features from both backends")
