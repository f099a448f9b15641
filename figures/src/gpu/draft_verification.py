# folio: gpu
"""The cost of scoring k draft tokens in one forward pass, as a speculative-decoding verifier
does: the Llama-3-8B-shaped model of decode_step.py, one sequence, 1024 tokens of context.

Run: .venv/bin/python figures/src/gpu/draft_verification.py   (needs a CUDA GPU)
"""

from __future__ import annotations

from _gpu import Table, provenance, report, require_cuda
from decode_step import Model, Shapes, step_ms

CONTEXT = 1024
DRAFT_TOKENS = (1, 2, 4, 8, 16, 32)


def main() -> None:
    device = require_cuda(__file__)
    model = Model(Shapes(), device)
    times = {k: step_ms(model, batch=1, context=CONTEXT, k=k) for k in DRAFT_TOKENS}
    table = Table(
        f"One forward pass scoring k tokens of one sequence ({CONTEXT} tokens of context)",
        ["k", "step ms", "vs k = 1"],
        [[k, ms, ms / times[1]] for k, ms in times.items()],
    )
    report([table], provenance())


if __name__ == "__main__":
    main()
