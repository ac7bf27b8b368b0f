"""Kokoro's int8 model turned back into floats for CUDA: the float copy computes what the model
did before it was quantised. Checked on a small model built here and quantised the way Kokoro's
was (onnxruntime's dynamic quantisation), so it runs in a second on any machine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from narrate.voices.engines.kokoro_float import convert, float_model  # noqa: E402


def _float_model(path: Path) -> None:
    """x [1, 8, 16] -> Conv (bias) -> LSTM (both ways) -> MatMul: the quantised kinds Kokoro has."""
    rng = np.random.default_rng(7)

    def init(name: str, *shape: int) -> onnx.TensorProto:
        return numpy_helper.from_array(rng.normal(0, 0.3, shape).astype(np.float32), name)

    nodes = [
        helper.make_node("Conv", ["x", "cw", "cb"], ["c"], kernel_shape=[3], pads=[1, 1]),
        helper.make_node("Transpose", ["c"], ["t"], perm=[2, 0, 1]),  # [seq, batch, features]
        helper.make_node("LSTM", ["t", "lw", "lr", "lb"], ["h", "", ""], hidden_size=8,
                         direction="bidirectional"),
        helper.make_node("Reshape", ["h", "shape"], ["hr"]),
        helper.make_node("MatMul", ["hr", "mw"], ["y"]),
    ]
    inits = [init("cw", 8, 8, 3), init("cb", 8), init("lw", 2, 32, 8), init("lr", 2, 32, 8),
             init("lb", 2, 64), init("mw", 16, 4),
             numpy_helper.from_array(np.array([16, 16], dtype=np.int64), "shape")]
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info(
        "x", TensorProto.FLOAT, [1, 8, 16])], [helper.make_tensor_value_info(
            "y", TensorProto.FLOAT, None)], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)


def _run(path: Path, x: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def test_the_float_copy_computes_what_the_model_did_before_quantisation(tmp_path: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    original, quantised, back = tmp_path / "f.onnx", tmp_path / "q.onnx", tmp_path / "b.onnx"
    _float_model(original)
    quantize_dynamic(str(original), str(quantised), weight_type=QuantType.QUInt8,
                     op_types_to_quantize=["Conv", "LSTM", "MatMul"])
    ops = {n.op_type for n in onnx.load(str(quantised)).graph.node}
    assert {"ConvInteger", "DynamicQuantizeLSTM", "MatMulInteger"} <= ops
    assert convert(str(quantised), str(back)) == {"MatMulInteger": 1, "ConvInteger": 1,
                                                  "DynamicQuantizeLSTM": 1}
    left = {n.op_type for n in onnx.load(str(back)).graph.node}
    assert not left & {"ConvInteger", "DynamicQuantizeLSTM", "MatMulInteger",
                       "DynamicQuantizeLinear"}
    x = np.random.default_rng(1).normal(0, 1, (1, 8, 16)).astype(np.float32)
    want, got, int8 = _run(original, x), _run(back, x), _run(quantised, x)
    # the float copy is the original up to the weights' 8-bit rounding, and closer to it than
    # the quantised model (which also rounds every input to 8 bits)
    assert np.abs(got - want).max() < 0.05 * np.abs(want).max()
    assert np.abs(got - want).mean() < np.abs(int8 - want).mean()


def test_float_model_is_made_once_beside_the_int8_one(tmp_path: Path) -> None:
    from onnxruntime.quantization import quantize_dynamic

    _float_model(tmp_path / "f.onnx")
    quantize_dynamic(str(tmp_path / "f.onnx"), str(tmp_path / "m.int8.onnx"),
                     op_types_to_quantize=["Conv", "LSTM", "MatMul"])
    made = float_model(str(tmp_path / "m.int8.onnx"))
    assert made == str(tmp_path / "m.int8.float.onnx") and Path(made).stat().st_size
    stamp = Path(made).stat().st_mtime_ns
    assert float_model(str(tmp_path / "m.int8.onnx")) == made
    assert Path(made).stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob("*.tmp"))
