"""Which device the ONNX engines (Kokoro, Piper) run on: ``cpu``, ``cuda`` or ``auto``.

``auto`` (the default) takes CUDA when onnxruntime offers the CUDA provider (the ``narrate[gpu]``
extra, onnxruntime-gpu) and the driver reports a GPU, else the CPU. The choice is made once per
process and travels to the synthesis workers in ``$NARRATE_DEVICE`` (spawned processes inherit
the environment; Dask workers choose by their own hardware, so a worker with a GPU synthesises
on it). ``cuda`` asked for where there is none is an error, not a silent fallback.

The device is not part of a segment's cache key: the same model speaks the same words on either,
up to float rounding nobody can hear.
"""

from __future__ import annotations

import ctypes
import logging
import os
from functools import lru_cache
from typing import Any

from narrate.errors import ConfigError

_LOGGER = logging.getLogger(__name__)

DEVICE_ENV = "NARRATE_DEVICE"
DEVICES = ("auto", "cpu", "cuda")
CUDA_PROVIDER = "CUDAExecutionProvider"


def check_device(name: str) -> str:
    """``name`` lower-cased, or a ConfigError naming the choices."""
    device = (name or "auto").strip().lower()
    if device not in DEVICES:
        raise ConfigError(f"unknown device {name!r}; choose one of {', '.join(DEVICES)}")
    return device


def set_device(name: str | None) -> None:
    """Ask for ``name`` in this process and the workers it starts from now on (None: leave the
    environment's choice). Resolving happens at the first model load."""
    if name is None:
        return
    device = check_device(name)
    if device == "cuda":
        problem = cuda_problem()
        if problem:
            raise ConfigError(f"--device cuda: {problem}")
    os.environ[DEVICE_ENV] = device
    resolved_device.cache_clear()


def requested_device() -> str:
    return check_device(os.environ.get(DEVICE_ENV, "auto"))


@lru_cache(maxsize=1)
def resolved_device() -> str:
    """``cpu`` or ``cuda``: what this process's engines load their models on."""
    device = requested_device()
    if device == "auto":
        device = "cpu" if cuda_problem() else "cuda"
        _LOGGER.info("device auto: %s", device)
    return device


def cuda_problem() -> str | None:
    """Why CUDA cannot be used here, or None when it can."""
    try:
        import onnxruntime as ort
    except ImportError:
        return "onnxruntime is not installed"
    if CUDA_PROVIDER not in ort.get_available_providers():
        return ("this onnxruntime has no CUDA provider: pip install 'narrate[gpu]' "
                "(onnxruntime-gpu, in place of onnxruntime)")
    count = cuda_device_count()
    if not count:
        return "no CUDA GPU found (the NVIDIA driver reports none)"
    return None


@lru_cache(maxsize=1)
def cuda_device_count() -> int:
    """GPUs the NVIDIA driver reports (0 without a driver): asks libcuda directly, so neither
    onnxruntime's CUDA libraries nor a framework are loaded just to find out."""
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return 0
    count = ctypes.c_int(0)
    try:
        if cuda.cuInit(0) != 0 or cuda.cuDeviceGetCount(ctypes.byref(count)) != 0:
            return 0
    except AttributeError:
        return 0
    return count.value


def use_cuda() -> bool:
    """Whether this process's models go on the GPU (CUDA's libraries then made findable)."""
    if resolved_device() != "cuda":
        return False
    _preload_cuda_libraries()
    return True


def onnx_providers() -> list[Any]:
    """The onnxruntime providers for this process's device, best first: CUDA keeps the CPU
    provider behind it for the few operators it lacks (the int8 model's ConvInteger)."""
    if not use_cuda():
        return ["CPUExecutionProvider"]
    # HEURISTIC: the exhaustive cuDNN search re-runs for every new input length, and every
    # sentence is a new length.
    return [(CUDA_PROVIDER, {"cudnn_conv_algo_search": "HEURISTIC"}), "CPUExecutionProvider"]


@lru_cache(maxsize=1)
def _preload_cuda_libraries() -> None:
    """onnxruntime-gpu finds CUDA and cuDNN from the nvidia-* wheels only when asked to
    (``preload_dlls``); without it a machine whose CUDA came by pip falls back to the CPU."""
    import onnxruntime as ort

    preload = getattr(ort, "preload_dlls", None)
    if preload is None:
        return
    try:
        preload()
    except Exception as e:  # the system's own CUDA may still be found by the loader
        _LOGGER.debug("onnxruntime.preload_dlls: %s", e)

