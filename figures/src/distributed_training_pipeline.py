"""Pipeline schedules simulated: GPipe (all forwards, then all backwards) versus 1F1B.

p stages, m micro-batches; a forward pass of one micro-batch on one stage takes 1 time unit
and a backward pass takes 2 (the usual ratio: a backward computes gradients for both
activations and weights). Each stage runs its operations in a fixed order and starts an
operation as soon as the stage is free and its input has arrived: F(s, i) needs F(s-1, i);
B(s, i) needs B(s+1, i), and on the last stage F(p-1, i). Communication time is ignored.
The script reports the makespan, the bubble fraction and the largest number of micro-batches
whose activations a stage holds at once, and compares the bubble with (p-1)/(m+p-1).
"""

from __future__ import annotations

from matplotlib.patches import Rectangle

from _style import PALETTE, new_figure, save

T_F, T_B = 1.0, 2.0


def orders(p: int, m: int, kind: str) -> list[list[tuple[str, int]]]:
    out = []
    for s in range(p):
        if kind == "gpipe":
            seq = [("F", i) for i in range(m)] + [("B", i) for i in range(m)]
        else:  # 1F1B: warm-up forwards, steady one-forward-one-backward, cool-down backwards
            warm = min(p - s - 1, m)
            seq = [("F", i) for i in range(warm)]
            f, b = warm, 0
            while f < m:
                seq += [("F", f), ("B", b)]
                f, b = f + 1, b + 1
            seq += [("B", i) for i in range(b, m)]
        out.append(seq)
    return out


def dependency(op: str, s: int, i: int, p: int) -> tuple[str, int, int] | None:
    """The operation whose output F(s, i) or B(s, i) needs."""
    if op == "F":
        return ("F", s - 1, i) if s > 0 else None
    return ("B", s + 1, i) if s < p - 1 else ("F", s, i)


def simulate(p: int, m: int, kind: str) -> dict[tuple[str, int, int], tuple[float, float]]:
    seqs = orders(p, m, kind)
    done: dict[tuple[str, int, int], tuple[float, float]] = {}
    pos, free = [0] * p, [0.0] * p
    while any(pos[s] < len(seqs[s]) for s in range(p)):
        progressed = False
        for s in range(p):
            if pos[s] >= len(seqs[s]):
                continue
            op, i = seqs[s][pos[s]]
            dep = dependency(op, s, i, p)
            if dep is not None and dep not in done:
                continue
            start = max(free[s], done[dep][1] if dep else 0.0)
            end = start + (T_F if op == "F" else T_B)
            done[(op, s, i)] = (start, end)
            free[s] = end
            pos[s] += 1
            progressed = True
        if not progressed:
            raise RuntimeError("schedule deadlocked")
    return done


def peak_in_flight(done: dict, p: int, m: int, stage: int) -> int:
    events = []
    for i in range(m):
        events.append((done[("F", stage, i)][0], 1))
        events.append((done[("B", stage, i)][1], -1))
    live = peak = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        live += delta
        peak = max(peak, live)
    return peak


def main() -> None:
    p, m = 4, 8
    fig, axes = new_figure(width=9.0, height=4.2, ncols=1)
    fig.clf()
    axes = fig.subplots(2, 1, sharex=True)
    for ax, kind, title in zip(axes, ["gpipe", "1f1b"], ["GPipe", "1F1B (PipeDream-Flush)"], strict=True):
        done = simulate(p, m, kind)
        makespan = max(end for _, end in done.values())
        bubble = 1 - m * (T_F + T_B) / makespan
        peak = peak_in_flight(done, p, m, 0)
        print(f"{title:24s} p={p} m={m}: makespan {makespan:.0f}, bubble {100 * bubble:.1f}% "
              f"(formula (p-1)/(m+p-1) = {100 * (p - 1) / (m + p - 1):.1f}%), "
              f"stage 0 holds up to {peak} micro-batches of activations")
        for (op, s, i), (start, end) in done.items():
            color = PALETTE[0] if op == "F" else PALETTE[1]
            ax.add_patch(Rectangle((start, p - 1 - s), end - start, 0.9, facecolor=color,
                                   edgecolor="white", linewidth=0.8))
            ax.text((start + end) / 2, p - 1 - s + 0.45, str(i), ha="center", va="center",
                    color="white", fontsize=7)
        ax.set_xlim(0, makespan)
        ax.set_ylim(-0.1, p)
        ax.set_yticks([p - 1 - s + 0.45 for s in range(p)], [f"stage {s}" for s in range(p)])
        ax.set_title(f"{title}: idle share {100 * bubble:.1f}%, stage 0 holds up to {peak} "
                     "micro-batches", fontsize=10)
        ax.grid(False)
    axes[1].set_xlabel("time (forward of one micro-batch on one stage = 1)")
    axes[0].add_patch(Rectangle((0, 0), 0, 0, facecolor=PALETTE[0], label="forward"))
    axes[0].add_patch(Rectangle((0, 0), 0, 0, facecolor=PALETTE[1], label="backward"))
    axes[0].legend(loc="upper right", fontsize=8, frameon=False, ncols=2, bbox_to_anchor=(1.0, 1.32))
    for mm in (4, 8, 16, 32, 64):
        for pp in (4, 8, 16):
            done = simulate(pp, mm, "1f1b")
            makespan = max(end for _, end in done.values())
            print(f"1F1B p={pp:2d} m={mm:2d}: bubble {100 * (1 - mm * 3 / makespan):5.1f}%, "
                  f"formula {100 * (pp - 1) / (mm + pp - 1):5.1f}%")
    save(fig, "distributed-training-pipeline")


if __name__ == "__main__":
    main()
