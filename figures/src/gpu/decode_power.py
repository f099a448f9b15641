# folio: gpu
"""Power and SM clock of real decode steps: the Llama-3-8B-shaped model of decode_step.py replayed
as a CUDA graph for 20 s at each batch size while NVML is sampled, at the default power limit.

This is the measurement the power-and-thermal article's decode model needs: whether decode draws
enough power for a power cap to bite, and at what clock it runs. Mean power comes from the energy
counter over the interval (power_clocks.py explains why).

Run: .venv/bin/python figures/src/gpu/decode_power.py   (needs a CUDA GPU with ~50 GB, nvidia-ml-py, about 90 s)
"""

from __future__ import annotations

import torch
from _gpu import Table, provenance, report, require_cuda
from decode_step import Model, Shapes
from power_clocks import SECONDS, nvml_handle, sample

CONTEXT = 1024
BATCHES = (1, 16, 64, 256)


def decode_loop(model: Model, batch: int):
    """A captured decode step of `batch` sequences; calling the result replays it once."""
    cache = model.new_cache(batch, CONTEXT)
    x = torch.randn(batch, 1, model.shapes.d_model, device=model.lm_head.device, dtype=torch.bfloat16)
    graph = torch.cuda.CUDAGraph()
    with torch.inference_mode():
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(3):
                model.forward(x, cache)
        torch.cuda.current_stream().wait_stream(side)
        with torch.cuda.graph(graph):
            model.forward(x, cache)
    return graph.replay


def main() -> None:
    device = require_cuda(__file__)
    handle = nvml_handle()
    model = Model(Shapes(), device)
    table = Table(
        f"Decode steps of a Llama-3-8B-shaped model ({CONTEXT} tokens of context), {SECONDS:.0f} s each",
        ["batch", "mean W (energy counter)", "mean W (power samples)", "SM clock median MHz", "steps/s", "J per token"],
    )
    for batch in BATCHES:
        step = decode_loop(model, batch)
        stats, calls = sample(handle, SECONDS, step)
        steps = calls / stats["seconds"]
        table.rows.append([batch, stats["energy_w"], stats["samples_w"], stats["clock_mhz"], steps, stats["energy_w"] / (steps * batch)])
        torch.cuda.empty_cache()
    report([table], provenance())


if __name__ == "__main__":
    main()
