import os
import signal
import sys
from pathlib import Path

import numpy as np
import pytest

from narrate.audio.executors import (
    DaskExecutor,
    LocalExecutor,
    SerialExecutor,
    _ordered_window,
    make_executor,
)
from narrate.errors import ConfigError


def square(x):
    return x * x


def die_once(arg):
    """Kills its own worker process the first time it runs (marker file), then succeeds."""
    marker, x = arg
    if x == 3 and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return x * 10


def test_make_executor_names():
    assert isinstance(make_executor("serial"), SerialExecutor)
    assert isinstance(make_executor("local", jobs=1), SerialExecutor)
    assert isinstance(make_executor("local", jobs=2), LocalExecutor)
    assert make_executor("local").workers >= 1
    with pytest.raises(ConfigError, match="unknown executor 'ray'"):
        make_executor("ray")


def test_dask_without_an_address_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    with pytest.raises(ConfigError, match="--address"):
        make_executor("dask")


def test_window_bounds_items_in_flight():
    submitted, in_flight = [], []

    def submit(item):
        submitted.append(item)
        in_flight.append(len(submitted) - len(results))
        return item

    results = []
    for r in _ordered_window(submit, iter(range(20)), 3, lambda f: f, lambda f: None):
        results.append(r)
    assert results == list(range(20))
    assert max(in_flight) <= 3


def test_local_pool_keeps_order_and_starts_no_workers_for_nothing():
    pool = LocalExecutor(2)
    assert list(pool.imap(square, [])) == []
    assert pool._pool is None
    with pool:
        assert list(pool.imap(square, range(15))) == [x * x for x in range(15)]
    assert pool._pool is None


def test_bad_jobs():
    with pytest.raises(ConfigError, match="at least 1"):
        LocalExecutor(0)


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    # Workers import narrate from PYTHONPATH; this test module is shipped by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_results_in_order(dask_client):
    with DaskExecutor(client=dask_client) as ex:
        assert ex.workers == 2
        assert list(ex.imap(square, range(12))) == [x * x for x in range(12)]


def test_dask_retries_work_of_a_killed_worker(dask_client, tmp_path):
    marker = tmp_path / "killed"
    items = [(str(marker), x) for x in range(8)]
    with DaskExecutor(client=dask_client) as ex:
        assert list(ex.imap(die_once, items)) == [x * 10 for x in range(8)]
    assert marker.exists()  # the worker really died once
    dask_client.wait_for_workers(2, timeout=30)  # the nanny restarted it


def test_dask_synthesis_matches_serial(dask_client):
    from narrate.audio.render import synthesize_script
    from narrate.script import Script, Segment, SegmentKind

    script = Script(tuple(Segment(SegmentKind.NARRATION, 0, len(t), t, speak=t, voice="tone:mid")
                          for t in ["One small line.", "And another.", "Then a third one."]))
    serial = [r.audio.samples for r in synthesize_script(script)]
    with DaskExecutor(client=dask_client) as ex:
        remote = [r.audio.samples for r in synthesize_script(script, executor=ex)]
    for a, b in zip(serial, remote, strict=True):
        np.testing.assert_array_equal(a, b)


def test_dask_unordered_survives_a_killed_worker(dask_client, tmp_path):
    marker = tmp_path / "killed"
    items = [(str(marker), x) for x in range(10)]
    with DaskExecutor(client=dask_client) as ex:
        assert sorted(ex.imap_unordered(die_once, items)) == [x * 10 for x in range(10)]
    assert marker.exists()
    dask_client.wait_for_workers(2, timeout=30)


def test_local_unordered_small_batch_runs_in_process():
    pool = LocalExecutor(2)
    assert sorted(pool.imap_unordered(square, [3, 4])) == [9, 16]
    assert pool._pool is None  # two items: no workers started
    with pool:
        assert sorted(pool.imap_unordered(square, list(range(9)))) == [x * x for x in range(9)]


# ------------------------------------------------------ workers die with their parent (issue 15.5)

_POOL_SCRIPT = """
import sys, time
from narrate.audio.executors import LocalExecutor

def nap(x):
    time.sleep(60)
    return x

if __name__ == "__main__":
    with LocalExecutor(2) as pool:
        for _ in pool.imap(nap, range(8)):
            pass
"""


def _tree_after_start(tmp_path, workers=2):
    """A real parent process with a pool of sleeping workers; returns it and its descendants."""
    import subprocess
    import time

    import psutil

    script = tmp_path / "pool.py"
    script.write_text(_POOL_SCRIPT)
    proc = subprocess.Popen([sys.executable, str(script)])
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    while True:
        # the resource tracker and the workers: all spawned python processes
        children = parent.children(recursive=True)
        if len([c for c in children if "resource_tracker" not in " ".join(c.cmdline())]) >= \
                workers:
            break
        assert proc.poll() is None and time.monotonic() < deadline, "pool did not start"
        time.sleep(0.1)
    time.sleep(1.0)  # the workers' initializers have run
    return proc, [parent, *children]


def _gone_within(processes, seconds):
    import psutil

    _, alive = psutil.wait_procs(processes, timeout=seconds)
    for p in alive:  # don't leave them behind if the test fails
        p.kill()
    return [p.pid for p in alive]


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_no_process_of_the_pool_outlives_its_parent(tmp_path, how):
    proc, tree = _tree_after_start(tmp_path)
    assert len(tree) >= 3
    os.kill(proc.pid, how)
    proc.wait(timeout=15)
    assert _gone_within(tree, 15) == []
    if how == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM


@pytest.mark.slow
def test_sigterm_to_a_render_leaves_no_process_of_it(tmp_path):
    """The issue's acceptance: a real `narrate render -j 2`, SIGTERM once its synthesis workers
    run; after 15 s nothing of it is left (workers, resource tracker), nor its temporary PCM."""
    import random
    import subprocess
    import time

    import psutil

    seed = random.randrange(10**6)  # fresh text: the shared segment cache must not answer it
    story = tmp_path / "long.txt"
    story.write_text("The Long Night\n\n" + "\n\n".join(
        f"Paragraph {seed + i}. Anna walked down to the harbour and counted the boats, one by "
        "one, while the rain fell on the roofs of the sleeping town." for i in range(80)))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "narrate", "render", str(story), "-o",
                             str(out), "-j", "2", "--no-music", "-q"])
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    tree = [parent]
    while True:
        workers = [c for c in parent.children(recursive=True)
                   if "resource_tracker" not in " ".join(c.cmdline())]
        if len(workers) >= 2:
            break
        assert proc.poll() is None, "the render ended before its workers started"
        assert time.monotonic() < deadline, "no synthesis workers appeared"
        time.sleep(0.2)
    time.sleep(3.0)  # they are synthesising
    tree += parent.children(recursive=True)
    os.kill(proc.pid, signal.SIGTERM)
    proc.wait(timeout=15)
    assert _gone_within(tree, 15) == []
    assert proc.returncode != 0
    assert not [p.name for p in out.iterdir() if p.name.endswith(".pcm")] if out.exists() else True


def _first_worker_has_a_gpu(requested, dask_worker=None):
    return "cuda" if dask_worker.name == 0 else "cpu"


def _no_worker_has_a_gpu(requested, dask_worker=None):
    return "error: --device cuda: no CUDA GPU found"


def _worker_name(_item):
    from distributed import get_worker

    return get_worker().name


def test_dask_sends_synthesis_to_the_workers_with_a_gpu(dask_client, monkeypatch):
    from narrate.audio import executors

    monkeypatch.setattr(executors, "worker_device", _first_worker_has_a_gpu)
    with DaskExecutor(client=dask_client) as ex:
        assert ex.workers == 1
        assert set(ex.imap(_worker_name, range(8))) == {0}
        assert set(ex.imap_unordered(_worker_name, list(range(8)))) == {0}
    monkeypatch.setattr(executors, "worker_device", _no_worker_has_a_gpu)
    with pytest.raises(ConfigError, match="no Dask worker has a GPU it can use"):
        DaskExecutor(client=dask_client, device="cuda")


def test_dask_workers_without_gpus_all_take_work(dask_client):
    with DaskExecutor(client=dask_client, device="auto") as ex:
        assert ex.workers == 2
        assert set(dask_client.run(lambda: __import__("os").environ.get("NARRATE_DEVICE"))
                   .values()) == {"auto"}


def _narrate_missing_on_the_worker(requested, dask_worker=None):
    raise ModuleNotFoundError("No module named 'narrate'")


def test_dask_workers_that_cannot_say_their_device_all_take_work(dask_client, monkeypatch):
    from narrate.audio import executors

    monkeypatch.setattr(executors, "worker_device", _narrate_missing_on_the_worker)
    with DaskExecutor(client=dask_client) as ex:
        assert ex.workers == 2
    with pytest.raises(ConfigError, match="--device cuda: cannot ask the Dask workers"):
        DaskExecutor(client=dask_client, device="cuda")


def _gpu_worker_dies_once(arg):
    """On the worker that has the GPU (name 0): kill it the first time item 3 runs."""
    from distributed import get_worker

    marker, x = arg
    if x == 3 and get_worker().name == 0 and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGKILL)
    return x * 10


@pytest.mark.parametrize("ordered", [True, False])
def test_dask_work_goes_on_when_the_gpu_worker_dies(dask_client, monkeypatch, tmp_path,
                                                     ordered):
    """Work restricted to the GPU worker waited forever once it died: Dask's nanny restarts
    it at a new address, and the old address is what the tasks were tied to. The executor
    asks the workers again and sends the waiting work where it can run."""
    import threading

    from narrate.audio import executors

    monkeypatch.setattr(executors, "worker_device", _first_worker_has_a_gpu)
    monkeypatch.setattr(executors.DaskExecutor, "check_s", 0.5)
    marker = tmp_path / "killed"
    items = [(str(marker), x) for x in range(8)]
    results: list[int] = []
    with DaskExecutor(client=dask_client) as ex:
        assert ex.workers == 1

        def consume() -> None:
            run = ex.imap if ordered else ex.imap_unordered
            results.extend(run(_gpu_worker_dies_once, items))

        thread = threading.Thread(target=consume, daemon=True)
        thread.start()
        thread.join(90)
        assert not thread.is_alive(), "the render waited for a worker that is gone"
    assert marker.exists()
    assert sorted(results) == [x * 10 for x in range(8)]
    dask_client.wait_for_workers(2, timeout=30)
