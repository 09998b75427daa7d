"""bench-out/active.md from bench/active/active.sh's results.jsonl: the header, the table of
budgets (queue order vs random order: the gate's verdict and the error on the evaluation
set), the answer to the issue's question, and the details of each run.

    active_report.py RESULTS.jsonl HEADER.md
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # bench/
from common.report import median, read_header, read_jsonl  # noqa: E402


def pct(x, places=1):
    return "—" if x is None else f"{100 * x:.{places}f}%"


def verdict(run):
    report = run.get("report") or {}
    state = report.get("state") or ("failed" if run["exit"] not in (0, 2) else "?")
    return f"{state} (exit {run['exit']})" if state not in ("promoted", "rejected") else state


def error(run):
    return run["eval"]["error"]


def main() -> int:
    rows = read_jsonl(sys.argv[1])
    shipped = next((r for r in rows if r["phase"] == "shipped"), None)
    runs = [r for r in rows if r["phase"] == "run"]
    budgets = sorted({r["budget"] for r in runs})
    queue = {r["budget"]: r for r in runs if r["order"] == "queue"}
    random = {b: [r for r in runs if r["order"] == "random" and r["budget"] == b] for b in budgets}
    out = read_header(sys.argv[2]) + [""]

    if shipped:
        out += [f"Shipped model, before any label: **{pct(shipped['eval']['error'])}** wrong on the evaluation set "
                f"({shipped['eval']['wrong']} of {shipped['eval']['rows']}), {pct(shipped['pool']['error'])} on the pool "
                f"({shipped['pool']['wrong']} of {shipped['pool']['rows']}; {shipped['pool']['status'].get('review', 0)} of them "
                f"status review, {shipped['queue_length']} in the queue).", ""]

    def random_cell(b):
        rs = random.get(b) or []
        if not rs:
            return "—", "—"
        states = ", ".join(verdict(r) for r in rs)
        errs = [error(r) for r in rs]
        if len(rs) == 1:
            return states, pct(errs[0])
        return states, f"{pct(median(errs))} (median; {', '.join(pct(e) for e in errs)})"

    out += ["| labels | queue order: verdict | queue order: eval error | random order: verdict | random order: eval error |",
            "| ---: | --- | ---: | --- | ---: |"]
    if shipped:
        out.append(f"| 0 (shipped) | — | {pct(shipped['eval']['error'])} | — | {pct(shipped['eval']['error'])} |")
    for b in budgets:
        q = queue.get(b)
        rv, re = random_cell(b)
        out.append(f"| {b} | {verdict(q) if q else '—'} | {pct(error(q)) if q else '—'} | {rv} | {re} |")
    out.append("")

    # The question: the smallest queue budget whose error is at most random order's at the
    # largest budget, and is that at most half of it?
    if budgets and random.get(budgets[-1]):
        top = budgets[-1]
        target = median([error(r) for r in random[top]])
        reached = [b for b in budgets if b in queue and error(queue[b]) <= target]
        if reached:
            b = reached[0]
            half = b * 2 <= top
            out.append(f"**Answer:** random order reaches {pct(target)} with {top} labels; the queue order reaches it (≤) with "
                       f"**{b}** labels ({pct(error(queue[b]))}), {b / top:.0%} of them: "
                       + ("**at most half — goal met.**" if half else "**more than half — goal not met.**"))
        else:
            out.append(f"**Answer:** random order reaches {pct(target)} with {top} labels; no queue budget measured "
                       f"({', '.join(str(b) for b in budgets)}) gets there: **goal not met.**")
        out.append("")

    out += ["Details per run: what the labels were (of the B scans, how many had status review and how many the shipped "
            "model had wrong), the gate's figures (held-out labels right, before → after; anchor set accuracy), the "
            "fine-tune's seconds, the model served after it, the eval error offline (`digitctl eval --scans`, should "
            "equal the CSV's), and the error on the rest of the pool (the scans that run did not label: the queue "
            "leaves out the ones the shipped model found hardest, so this column is not comparable across orders).", "",
            "| run | labels: review / wrong before | held out | gate: held-out right | gate: anchor set | s | served | eval error (CSV / offline) | rest of pool: before → after |",
            "| --- | ---: | ---: | --- | --- | ---: | --- | ---: | ---: |"]
    for b in budgets:
        for r in ([queue[b]] if b in queue else []) + random.get(b, []):
            name = f"queue {b}" if r["order"] == "queue" else f"random {b} (seed {r['seed']})"
            rep = r.get("report") or {}
            before, after = rep.get("before") or {}, rep.get("after") or {}
            held = f"{pct(before.get('heldOut'))} → {pct(after.get('heldOut'))}" if before else "—"
            general = f"{pct(before.get('general'), 2)} → {pct(after.get('general'), 2)}" if before else "—"
            models = ", ".join(r["eval"]["models"])
            rest_before = r["pick"]["rest_wrong_before"] / r["pick"]["rest"] if r["pick"].get("rest") else None
            out.append(f"| {name} | {r['pick']['review']} / {r['pick']['wrong_before']} of {r['pick']['picked']} | "
                       f"{rep.get('heldOut', '—')} | {held} | {general} | {rep.get('seconds', 0):.1f} | {r['served']} ({models}) | "
                       f"{pct(error(r), 2)} / {pct(r['eval_scans']['error'], 2)} | {pct(rest_before)} → {pct(r['rest_scans']['error'])} |")
    out.append("")

    # What to look at before trusting the table.
    notes = []
    for r in runs:
        name = f"{r['order']} {r['budget']}"
        if r["labels"] != r["budget"] or r["records"] != r["budget"]:
            notes.append(f"{name}: {r['labels']} label files and {r['records']} records for {r['budget']} decisions")
        if r["eval"]["rows"] != r["eval"]["files"]:
            notes.append(f"{name}: {r['eval']['rows']} eval rows for {r['eval']['files']} files")
        if abs(r["eval"]["error"] - r["eval_scans"]["error"]) > 1e-9:
            notes.append(f"{name}: the CSV rows say {pct(r['eval']['error'], 2)}, `digitctl eval --scans` {pct(r['eval_scans']['error'], 2)}")
        served = r["served"]
        if not all(m.startswith(served + "@") or (served == "base" and m.startswith("seedcnn")) for m in r["eval"]["models"]):
            notes.append(f"{name}: `digitctl models` serves {served}, the eval rows name {', '.join(r['eval']['models'])}")
    if shipped and abs(shipped["eval"]["error"] - shipped["eval_scans"]["error"]) > 1e-9:
        notes.append(f"shipped: the CSV rows say {pct(shipped['eval']['error'], 2)}, `digitctl eval --scans` {pct(shipped['eval_scans']['error'], 2)}")
    if notes:
        out += ["Checks that failed:", ""] + [f"- {n}" for n in notes] + [""]
    else:
        out += ["Checks: every run stored one label per decision, the served model wrote every eval row, and the CSV's "
                "eval error equals `digitctl eval --scans`'s.", ""]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
