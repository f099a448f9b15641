"""Pipeline schedules simulated: GPipe, 1F1B and a zero-bubble schedule (ZB-H1).

p stages, m micro-batches; a forward pass of one micro-batch on one stage takes 1 time unit
and a backward pass takes 2 (the usual ratio: a backward computes gradients for both
activations and weights). Each stage runs its operations in a fixed order and starts an
operation as soon as the stage is free and its input has arrived: F(s, i) needs F(s-1, i);
B(s, i) needs B(s+1, i), and on the last stage F(p-1, i). Communication time is ignored.

ZB-H1 follows Qi et al., "Zero Bubble Pipeline Parallelism" (arXiv:2401.10241): the backward
pass is split into B, the gradient with respect to the stage's input (1 unit, which the
previous stage waits for), and W, the gradient with respect to the weights (1 unit, which no
other stage waits for). F and B keep the 1F1B order; a stage runs its oldest pending W whenever
its next F or B cannot start yet, and before a new F when it already holds p micro-batches
(a micro-batch's activations are freed only after its W), so it stores no more than 1F1B does.
This greedy rule is this script's reading of the paper's handcrafted ZB-H1 schedule; the paper
states its bubble as (p-1)/(3m) of the ideal compute time when F, B and W take equal time.

The script reports the makespan, the bubble fraction and the largest number of micro-batches
whose activations a stage holds at once, and compares the bubbles with the formulas.
"""

from __future__ import annotations

from matplotlib.patches import Rectangle

from _style import PALETTE, new_figure, save

T_F, T_B = 1.0, 2.0  # GPipe and 1F1B: the backward pass as one operation
ZB_DUR = {"F": 1, "B": 1, "W": 1}  # ZB-H1: the same backward split into input and weight gradients


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


def simulate_zb_h1(p: int, m: int) -> dict[tuple[str, int, int], tuple[float, float]]:
    """Zero-bubble ZB-H1 on integer time steps: F and B in 1F1B order, W deferred into idle slots."""
    seqs = orders(p, m, "1f1b")
    done: dict[tuple[str, int, int], tuple[float, float]] = {}
    pos, free = [0] * p, [0] * p
    pending_w: list[list[int]] = [[] for _ in range(p)]
    held = [0] * p  # micro-batches forwarded whose W has not run yet
    t = 0
    while any(pos[s] < len(seqs[s]) or pending_w[s] for s in range(p)):
        for s in range(p):
            if free[s] > t:
                continue
            chosen = None
            if pos[s] < len(seqs[s]):
                op, i = seqs[s][pos[s]]
                dep = dependency(op, s, i, p)
                ready = dep is None or (dep in done and done[dep][1] <= t)
                if ready and not (op == "F" and held[s] >= p):
                    chosen = (op, i)
                    pos[s] += 1
                    if op == "F":
                        held[s] += 1
                    else:
                        pending_w[s].append(i)
            if chosen is None and pending_w[s]:
                chosen = ("W", pending_w[s].pop(0))
                held[s] -= 1
            if chosen is not None:
                op, i = chosen
                done[(op, s, i)] = (t, t + ZB_DUR[op])
                free[s] = t + ZB_DUR[op]
        t += 1
        if t > 100 * (m + p) * 3:
            raise RuntimeError("schedule deadlocked")
    return done


def peak_in_flight(done: dict, m: int, stage: int, last: str = "B") -> int:
    """Most micro-batches whose activations `stage` holds at once (from F start to `last` end)."""
    events = []
    for i in range(m):
        events.append((done[("F", stage, i)][0], 1))
        events.append((done[(last, stage, i)][1], -1))
    live = peak = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        live += delta
        peak = max(peak, live)
    return peak


def main() -> None:
    p, m = 4, 8
    fig, _ = new_figure(width=9.0, height=6.0, ncols=1)
    fig.clf()
    axes = fig.subplots(3, 1, sharex=True)
    panels = [("gpipe", "GPipe"), ("1f1b", "1F1B (PipeDream-Flush)"), ("zb", "ZB-H1 (zero bubble)")]
    colors = {"F": PALETTE[0], "B": PALETTE[1], "W": PALETTE[2]}
    for ax, (kind, title) in zip(axes, panels, strict=True):
        done = simulate_zb_h1(p, m) if kind == "zb" else simulate(p, m, kind)
        makespan = max(end for _, end in done.values())
        bubble = 1 - m * (T_F + T_B) / makespan
        peak = peak_in_flight(done, m, 0, "W" if kind == "zb" else "B")
        formula = (p - 1) / (3 * m + p - 1) if kind == "zb" else (p - 1) / (m + p - 1)
        print(f"{title:24s} p={p} m={m}: makespan {makespan:.0f}, bubble {100 * bubble:.1f}% "
              f"(formula {100 * formula:.1f}%), stage 0 holds up to {peak} micro-batches of activations")
        for (op, s, i), (start, end) in done.items():
            ax.add_patch(Rectangle((start, p - 1 - s), end - start, 0.9, facecolor=colors[op],
                                   edgecolor="white", linewidth=0.8))
            ax.text((start + end) / 2, p - 1 - s + 0.45, str(i), ha="center", va="center",
                    color="white", fontsize=7)
        ax.set_xlim(0, 33)
        ax.set_ylim(-0.1, p)
        ax.set_yticks([p - 1 - s + 0.45 for s in range(p)], [f"stage {s}" for s in range(p)])
        ax.set_title(f"{title}: makespan {makespan:.0f}, idle share {100 * bubble:.1f}%, "
                     f"stage 0 holds up to {peak} micro-batches", fontsize=10)
        ax.grid(False)
    axes[-1].set_xlabel("time (forward of one micro-batch on one stage = 1)")
    for label, op in [("forward", "F"), ("backward (B: input gradient in ZB-H1)", "B"),
                      ("W: weight gradient", "W")]:
        axes[0].add_patch(Rectangle((0, 0), 0, 0, facecolor=colors[op], label=label))
    axes[0].legend(loc="upper right", fontsize=8, frameon=False, ncols=3, bbox_to_anchor=(1.0, 1.42))
    for mm in (4, 8, 16, 32, 64):
        for pp in (4, 8, 16):
            done = simulate(pp, mm, "1f1b")
            zb = simulate_zb_h1(pp, mm)
            makespan = max(end for _, end in done.values())
            zb_makespan = max(end for _, end in zb.values())
            print(f"p={pp:2d} m={mm:2d}: 1F1B bubble {100 * (1 - mm * 3 / makespan):5.1f}% "
                  f"(formula {100 * (pp - 1) / (mm + pp - 1):5.1f}%); ZB-H1 bubble "
                  f"{100 * (1 - mm * 3 / zb_makespan):5.1f}% "
                  + (f"(formula {100 * (pp - 1) / (3 * mm + pp - 1):5.1f}%), " if mm >= pp else "(m < p: no formula), ")
                  + f"stage 0 holds {peak_in_flight(zb, mm, 0, 'W')} vs 1F1B {peak_in_flight(done, mm, 0)}")
    save(fig, "distributed-training-pipeline", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: the one-row legend over the first panel becomes a column at the top of the
    figure, titles break into three lines, stage names and the time label get smaller or wrap."""
    axes = fig.axes
    legend = axes[0].get_legend()
    handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
    legend.remove()
    fig.legend(handles, labels, loc="outside upper center", ncol=1, fontsize=8, frameon=False)
    for ax in axes:
        title = ax.get_title().replace("\n", " ").replace(": makespan", ":\nmakespan").replace(", stage", ",\nstage")
        ax.set_title(title, fontsize=9)
        ax.tick_params(axis="y", labelsize=8)
    axes[-1].set_xlabel(axes[-1].get_xlabel().replace(" on one", "\non one"))
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + 0.6)


if __name__ == "__main__":
    main()
