# folio: gpu
"""One decode step of a Llama-3-8B-shaped model on a GPU, against the roofline model of
articles/batching.md (figures/src/batching_roofline.py).

The model has Llama 3 8B's shapes and random BF16 weights. A step runs, for each of the 32
layers, the fused QKV projection, attention of the new token over that layer's KV cache
(PyTorch SDPA with grouped-query attention), the output projection and the SwiGLU MLP, then
the LM head. RMSNorms, rotary embeddings and sampling are left out: they are elementwise
work of a few MB per step next to 15 GB of weights. The step is captured in a CUDA graph
so that kernel-launch overhead is excluded, and timed as the mean of 30 replays.

Run: .venv/bin/python figures/src/gpu/decode_step.py   (needs a CUDA GPU with ~60 GB)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # figures/src: the roofline model

from _gpu import Table, graph_ms, provenance, report, require_cuda

CASES = ((1024, (1, 8, 32, 64, 128, 256)), (4096, (1, 16, 64)))  # (context, batch sizes)


@dataclass(frozen=True)
class Shapes:
    layers: int = 32
    d_model: int = 4096
    heads: int = 32
    kv_heads: int = 8
    head_dim: int = 128
    ffn: int = 14336
    vocab: int = 128256


class Model:
    """Random BF16 weights with the given shapes, stored as PyTorch's (out, in) matrices."""

    def __init__(self, shapes: Shapes, device: torch.device) -> None:
        s = shapes
        self.shapes = s

        def weight(rows: int, cols: int) -> torch.Tensor:
            return torch.randn(rows, cols, device=device, dtype=torch.bfloat16) * 0.02

        qkv_rows = (s.heads + 2 * s.kv_heads) * s.head_dim
        self.layers = [
            (weight(qkv_rows, s.d_model), weight(s.d_model, s.heads * s.head_dim), weight(2 * s.ffn, s.d_model), weight(s.d_model, s.ffn))
            for _ in range(s.layers)
        ]
        self.lm_head = weight(s.vocab, s.d_model)

    def new_cache(self, batch: int, context: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
        s = self.shapes
        shape = (batch, s.kv_heads, context, s.head_dim)
        device = self.lm_head.device
        return [(torch.randn(shape, device=device, dtype=torch.bfloat16), torch.randn(shape, device=device, dtype=torch.bfloat16)) for _ in range(s.layers)]

    def forward(self, x: torch.Tensor, cache: list[tuple[torch.Tensor, torch.Tensor]]) -> torch.Tensor:
        """x: (batch, k, d_model) hidden states of the k newest tokens of each sequence.

        Their keys and values are written into the last k positions of each layer's cache, and
        every query attends to the whole cache (no causal mask among the k new tokens: it
        changes the attention work by at most k/2 of k*context scores, and lets SDPA use the
        same fused kernel for k = 1 and k > 1).
        """
        s = self.shapes
        batch, k, _ = x.shape
        for (w_qkv, w_o, w_gate_up, w_down), (keys, values) in zip(self.layers, cache, strict=True):
            q, new_k, new_v = (x @ w_qkv.T).split([s.heads * s.head_dim, s.kv_heads * s.head_dim, s.kv_heads * s.head_dim], dim=-1)
            keys[:, :, -k:] = new_k.view(batch, k, s.kv_heads, s.head_dim).transpose(1, 2)
            values[:, :, -k:] = new_v.view(batch, k, s.kv_heads, s.head_dim).transpose(1, 2)
            q = q.view(batch, k, s.heads, s.head_dim).transpose(1, 2)
            attention = F.scaled_dot_product_attention(q, keys, values, enable_gqa=True)
            x = x + attention.transpose(1, 2).reshape(batch, k, s.heads * s.head_dim) @ w_o.T
            gate, up = (x @ w_gate_up.T).chunk(2, dim=-1)
            x = x + (F.silu(gate) * up) @ w_down.T
        return x @ self.lm_head.T


def step_ms(model: Model, batch: int, context: int, k: int = 1) -> float:
    """Mean milliseconds of one forward pass over k new tokens per sequence, as a CUDA graph."""
    cache = model.new_cache(batch, context)
    x = torch.randn(batch, k, model.shapes.d_model, device=model.lm_head.device, dtype=torch.bfloat16)
    with torch.inference_mode():
        return graph_ms(lambda: model.forward(x, cache))


def main() -> None:
    device = require_cuda(__file__)
    from batching_roofline import step_time  # the model the article draws

    model = Model(Shapes(), device)
    table = Table(
        "One decode step of a Llama-3-8B-shaped model against the roofline floor",
        ["context", "batch", "measured ms", "roofline ms", "roofline / measured", "tokens/s"],
    )
    for context, batches in CASES:
        for batch in batches:
            measured = step_ms(model, batch, context)
            floor = float(step_time(np.array([batch]), context)[0]) * 1e3
            table.rows.append([context, batch, measured, floor, floor / measured, round(batch / measured * 1e3)])
            torch.cuda.empty_cache()  # the next case allocates its own KV cache
    report([table], provenance())


if __name__ == "__main__":
    main()
