"""Where synthesis runs: in this process, in a local process pool, or on a Dask cluster.

Every executor has one job: apply a picklable function to a stream of items and give the results
back in order, holding only a small window of items in flight, so a whole book never sits in
memory. The local pool is the default; Dask (the ``narrate[dask]`` extra) is imported only when
asked for.
"""

from __future__ import annotations

import logging
import os
import signal
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from typing import Any, ClassVar, TypeVar

from narrate.errors import ConfigError, EngineError

_LOGGER = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

DASK_ADDRESS_ENV = "DASK_SCHEDULER_ADDRESS"
DASK_RETRIES = 2
"""Extra attempts for a task that raised; a task whose worker died is rescheduled by Dask itself."""
IN_FLIGHT_PER_WORKER = 2
"""Items submitted ahead per worker: enough to keep it busy, small enough to bound memory."""
SMALL_BATCH = 2
"""Up to this many items, the local executor works in this process instead of starting a pool."""


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Executor(ABC):
    """Runs ``fn`` over items, yielding results in item order."""

    name: ClassVar[str]

    @property
    def workers(self) -> int:
        return 1

    @abstractmethod
    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Results of ``fn(item)`` in order; items are consumed lazily, a few ahead."""

    def imap_unordered(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """Results of ``fn(item)`` as they complete (for work whose order doesn't matter:
        a slow item then never holds back the others)."""
        yield from self.imap(fn, items)

    def close(self) -> None:  # noqa: B027 - optional: only executors with workers need it
        """Release workers; the executor may not be used afterwards."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """In this process, one item at a time: the reference, and the choice for tiny jobs."""

    name = "serial"

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)


def _ordered_window(submit: Callable[[T], Any], items: Iterable[T], window: int,
                    result: Callable[[Any], R], cancel: Callable[[Any], None]) -> Iterator[R]:
    """Submit up to ``window`` items ahead and yield their results in submission order."""
    pending: deque[Any] = deque()
    try:
        for item in items:
            pending.append(submit(item))
            if len(pending) >= window:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        for future in pending:  # the consumer stopped early or something failed
            cancel(future)


def _init_worker(threads: int, parent: int | None = None) -> None:
    # Ctrl-C reaches the whole process group; only the parent should react (and stop the pool).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        _die_with_parent(parent)
    limit_onnx_threads(threads)


def _run_and_trim(fn: Callable[[T], R], item: T) -> R:
    """``fn(item)`` in a worker, then the heap's free memory handed back to the system: the
    engines' freed buffers otherwise stay in the worker (measured with Piper on 150-word pieces:
    445 MB resident after 20 jobs, 366 MB with the trim; it takes milliseconds)."""
    try:
        return fn(item)
    finally:
        _malloc_trim()


def _malloc_trim() -> None:
    global _LIBC
    if _LIBC is None:
        import ctypes

        try:
            _LIBC = ctypes.CDLL("libc.so.6")
        except OSError:  # not glibc: nothing to do
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


_LIBC: Any = None
PARENT_CHECK_S = 0.5
"""How often a worker looks for its parent."""
SIGTERM_GRACE_S = 5.0
"""After SIGTERM, how long the process may unwind (temporary files removed) before it exits."""


def _die_with_parent(parent: int) -> None:
    """End this worker as soon as ``parent`` is gone. A parent killed outright (SIGKILL, the
    OOM killer) runs no cleanup, and its workers (hundreds of MB each) would otherwise live on,
    and with them multiprocessing's resource tracker. A thread, not prctl(PR_SET_PDEATHSIG):
    that fires when the *thread* that started the worker ends, and the pool may be started from
    the mastering thread."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="narrate-parent-watch", daemon=True).start()


def limit_onnx_threads(threads: int) -> None:
    """Make onnxruntime sessions created later in this process use ``threads`` threads.

    onnxruntime defaults to one thread per core in every session; with one worker per core that
    oversubscribes the machine and its spinning threads waste the cores (measured: a render got
    slower with two workers than with one). Sessions that ask for a thread count keep it.
    """
    try:
        import onnxruntime as ort
    except ImportError:
        return
    cls = ort.InferenceSession
    if getattr(cls, "_narrate_threads", None) == threads:
        return
    original = getattr(cls, "_narrate_original_init", cls.__init__)

    def __init__(self: Any, path_or_bytes: Any, sess_options: Any = None, *args: Any,
                 **kwargs: Any) -> None:
        if sess_options is None:
            sess_options = ort.SessionOptions()
        if not sess_options.intra_op_num_threads:
            sess_options.intra_op_num_threads = threads
            sess_options.inter_op_num_threads = 1
        original(self, path_or_bytes, sess_options, *args, **kwargs)

    cls._narrate_original_init = original
    cls._narrate_threads = threads
    cls.__init__ = __init__


class LocalExecutor(Executor):
    """A pool of worker processes on this machine (default one per core). Each worker keeps its
    engines loaded between items (``get_engine`` caches one instance per process)."""

    name = "local"

    def __init__(self, jobs: int | None = None) -> None:
        if jobs is not None and jobs < 1:
            raise ConfigError(f"--jobs must be at least 1, got {jobs}")
        self.jobs = jobs or cpu_count()
        self._pool: Any = None
        self._previous_sigterm: Any = None

    @property
    def workers(self) -> int:
        return self.jobs

    def _ensure_pool(self) -> Any:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the parent may already hold engine threads and locks.
            threads = max(1, cpu_count() // self.jobs)
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker, initargs=(threads, os.getpid()))
            self._stop_workers_on_sigterm()
        return self._pool

    def _stop_workers_on_sigterm(self) -> None:
        """SIGTERM (``kill``, a service manager) ends the process without unwinding, so the
        pool's workers would be left running: end them first, then exit as the signal would
        (status 143), unwinding so temporary files are removed. Main thread only (Python
        allows signal handlers nowhere else)."""
        import threading

        if threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGTERM)

        def on_sigterm(signum: int, frame: Any) -> None:
            self._terminate_workers()
            signal.signal(signal.SIGTERM, previous)
            # Unwinding waits for other threads (an episode being mastered); a stop asked for
            # must not wait minutes, and whatever temporary file is left, the next render
            # sweeps away.
            timer = threading.Timer(SIGTERM_GRACE_S, os._exit, args=(128 + signum,))
            timer.daemon = True
            timer.start()
            if callable(previous):
                previous(signum, frame)
            raise SystemExit(128 + signum)

        signal.signal(signal.SIGTERM, on_sigterm)
        self._previous_sigterm = previous

    def _terminate_workers(self) -> None:
        for process in list((getattr(self._pool, "_processes", None) or {}).values()):
            process.terminate()

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        iterator = iter(items)
        first = next(iterator, _END)
        if first is _END:  # nothing to do: don't start workers at all
            return

        def chain() -> Iterator[T]:
            yield first  # type: ignore[misc]
            yield from iterator

        pool = self._ensure_pool()
        try:
            yield from _ordered_window(lambda item: pool.submit(_run_and_trim, fn, item),
                                       chain(), self.jobs * IN_FLIGHT_PER_WORKER, self._result,
                                       lambda f: f.cancel())
        except BaseException:
            self.close(now=True)
            raise

    def imap_unordered(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        from concurrent.futures import FIRST_COMPLETED, wait

        if self._pool is None and len(items) <= SMALL_BATCH:
            # A few segments (one edited paragraph): starting workers and loading their engines
            # would cost more than speaking them here.
            yield from SerialExecutor().imap(fn, items)
            return
        if not items:
            return
        pool = self._ensure_pool()
        iterator = iter(items)
        pending: set[Future[R]] = set()
        window = self.jobs * IN_FLIGHT_PER_WORKER
        try:
            while True:
                for item in iterator:
                    pending.add(pool.submit(_run_and_trim, fn, item))
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield self._result(future)
        except BaseException:
            for future in pending:
                future.cancel()
            self.close(now=True)
            raise

    def _result(self, future: Future[R]) -> R:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool as e:
            raise EngineError("a synthesis worker process died (out of memory or killed); "
                              "run again to resume from the cache") from e

    def close(self, *, now: bool = False) -> None:
        if now:  # interrupted: don't wait for segments nobody will use
            self._terminate_workers()
        pool, self._pool = self._pool, None
        if pool is None:
            return
        previous, self._previous_sigterm = self._previous_sigterm, None
        if previous is not None:
            import threading

            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGTERM, previous)
        pool.shutdown(wait=True, cancel_futures=True)


_END = object()


class DaskExecutor(Executor):
    """Items run as tasks on an existing Dask cluster (``pip install 'narrate[dask]'``).

    Workers need narrate and the engines installed. A task that raises is retried
    ``DASK_RETRIES`` times; one whose worker dies is rescheduled on another worker by Dask.
    """

    name = "dask"
    check_s = 10.0
    """How often a wait for work tied to the GPU workers checks that they are still there."""

    def __init__(self, address: str | None = None, *, client: Any = None,
                 device: str | None = None) -> None:
        self._own_client = client is None
        if client is None:
            address = address or os.environ.get(DASK_ADDRESS_ENV)
            if not address:
                raise ConfigError("--executor dask needs a scheduler: pass --address "
                                  f"tcp://host:8786 or set {DASK_ADDRESS_ENV}")
            try:
                from distributed import Client
            except ImportError as e:
                raise ConfigError("--executor dask needs Dask: pip install 'narrate[dask]'") from e
            try:
                client = Client(address, timeout="10s")
            except OSError as e:
                raise ConfigError(f"cannot reach the Dask scheduler at {address}: {e}") from e
        self.client = client
        self._only: list[str] | None = None
        """Addresses of the workers that take the work (those with a GPU), None: any."""
        self._device = device
        self._tied: dict[str, tuple[Any, Callable[[Any], Any], Any]] = {}
        """Work tied to ``_only`` not yet taken back: key -> (future, fn, item)."""
        self._moved: dict[str, Any] = {}
        """key of a future given up on (its workers left) -> the future submitted instead."""
        self._choose_devices(device)

    def _choose_devices(self, device: str | None) -> None:
        """Each worker picks its device (``device``, else its own ``$NARRATE_DEVICE`` or auto);
        when some have a GPU, synthesis goes to them alone: one GPU worker outruns many CPU
        ones, and a CPU worker holding a book's last chunks would keep the GPU waiting."""
        from narrate.voices.engines.device import check_device

        requested = check_device(device) if device else None
        try:
            chosen: dict[str, str] = self.client.run(worker_device, requested)
        except Exception as e:  # workers without narrate fail their tasks anyway, with a reason
            if requested == "cuda":
                raise ConfigError(f"--device cuda: cannot ask the Dask workers ({e})") from e
            _LOGGER.warning("could not ask the Dask workers for their devices: %s", e)
            return
        problems = sorted({d for d in chosen.values() if d.startswith("error")})
        gpus = sorted(address for address, d in chosen.items() if d == "cuda")
        if requested == "cuda" and not gpus:
            raise ConfigError("--device cuda: no Dask worker has a GPU it can use" +
                              (f" ({problems[0].removeprefix('error: ')})" if problems else ""))
        if gpus and len(gpus) < len(chosen):
            _LOGGER.info("synthesis on the %d Dask workers with a GPU (of %d)", len(gpus),
                         len(chosen))
            self._only = gpus

    def _submit(self, fn: Callable[[T], R], item: T) -> Any:
        if self._only is None:
            return self.client.submit(fn, item, pure=False, retries=DASK_RETRIES)
        future = self.client.submit(fn, item, pure=False, retries=DASK_RETRIES,
                                    workers=self._only, allow_other_workers=False)
        self._tied[future.key] = (future, fn, item)
        return future

    def _current(self, future: Any) -> Any:
        while future.key in self._moved:
            future = self._moved[future.key]
        return future

    def _retie_if_gone(self) -> bool:
        """Work tied to workers that have all left (died: Dask's nanny restarts a worker at a
        new address, and the tasks stay tied to the old one) would wait forever: ask the
        workers for their devices again and submit that work anew where it can run (the GPU
        worker that came back, else any; ``--device cuda`` with no GPU left is an error)."""
        if self._only is None:
            return False
        alive = set(self.client.scheduler_info().get("workers", {}))
        if alive & set(self._only):
            return False
        _LOGGER.warning("the Dask workers with a GPU have left; asking the workers again")
        self._only = None
        tied, self._tied = self._tied, {}
        self._choose_devices(self._device)
        for key, (future, fn, item) in tied.items():
            if not future.done():
                future.cancel()
                self._moved[key] = self._submit(fn, item)
        return True

    def _take(self, future: Any) -> Any:
        """``future``'s result (or what replaced it), checking every ``check_s`` seconds that
        the workers it is tied to are still there."""
        while True:
            future = self._current(future)
            try:
                result = future.result(timeout=self.check_s if self._only else None)
            except TimeoutError:
                self._retie_if_gone()
                continue
            self._tied.pop(future.key, None)
            return result

    @property
    def workers(self) -> int:
        threads = self.client.nthreads()
        return max(1, sum(n for address, n in threads.items()
                          if self._only is None or address in self._only))

    def imap(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        yield from _ordered_window(lambda item: self._submit(fn, item), items,
                                   self.workers * IN_FLIGHT_PER_WORKER, self._take,
                                   lambda f: self._current(f).cancel())

    def imap_unordered(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        from distributed import wait

        iterator = iter(items)
        window = self.workers * IN_FLIGHT_PER_WORKER
        pending = {self._submit(fn, item) for _, item in zip(range(window), iterator,
                                                             strict=False)}
        try:
            while pending:
                try:
                    done, left = wait(list(pending), return_when="FIRST_COMPLETED",
                                      timeout=self.check_s if self._only else None)
                except TimeoutError:
                    if self._retie_if_gone():
                        pending = {self._current(f) for f in pending}
                    continue
                pending = set(left)
                for future in done:
                    yield self._take(future)
                    for item in iterator:
                        pending.add(self._submit(fn, item))
                        break
        finally:
            for future in pending:  # the consumer stopped early or something failed
                future.cancel()

    def close(self) -> None:
        if self._own_client:
            self.client.close()


def worker_device(requested: str | None, dask_worker: Any = None) -> str:
    """Run on each Dask worker (``client.run``): set its device and say which it resolved to,
    "cuda" or "cpu", or "error: ..." when ``requested`` cannot be had there."""
    from narrate.voices.engines.device import resolved_device, set_device

    try:
        set_device(requested)
        return resolved_device()
    except ConfigError as e:
        return f"error: {e}"


EXECUTORS: dict[str, type[Executor]] = {
    SerialExecutor.name: SerialExecutor,
    LocalExecutor.name: LocalExecutor,
    DaskExecutor.name: DaskExecutor,
}


def make_executor(name: str = "local", *, jobs: int | None = None,
                  address: str | None = None, device: str | None = None) -> Executor:
    """The executor called ``name``; ``jobs`` sizes the local pool, ``address`` finds Dask,
    ``device`` is asked of Dask's workers (local workers inherit this process's choice)."""
    if name == "serial":
        return SerialExecutor()
    if name == "local":
        return SerialExecutor() if jobs == 1 else LocalExecutor(jobs)
    if name == "dask":
        return DaskExecutor(address, device=device)
    raise ConfigError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
