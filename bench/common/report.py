"""What the report scripts of the benches (bench/*/*_report.py) share: reading the raw
results a driver collected, the median of a measurement's runs with its spread, ratios
and goal verdicts, each written the one way every bench-out/*.md shows it.

A report script reaches this module, and the other topics' modules, with bench/ on its
path:

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from common.report import median_text, ratio, read_header, read_jsonl, verdict
"""
import json
import os
import statistics

# A median is marked (±N%) when its runs spread this much or more around it.
SPREAD_MARK = 0.05


def read_jsonl(path):
    """The JSON objects of a raw results file, one a line (lines not starting with '{'
    are passed over); [] when the file does not exist."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.startswith("{")]


def read_header(path):
    """The lines a driver wrote above the tables (HEADER.txt), without their newlines."""
    with open(path) as f:
        return [line.rstrip("\n") for line in f]


def median(values):
    """The median of the runs, None when there are none."""
    return statistics.median(values) if values else None


def spread(values, center=None):
    """Half the range of the runs, relative to their median (or to `center`, a median
    the bench itself reported); 0 when that is 0."""
    m = statistics.median(values) if center is None else center
    return (max(values) - min(values)) / 2 / m if m else 0.0


def spread_mark(values, center=None):
    """' (±N%)' when the runs spread SPREAD_MARK or more, else ''."""
    s = spread(values, center) if values else 0.0
    return f" (±{s:.0%})" if s >= SPREAD_MARK else ""


def figure(x):
    """A rate as the tables show it: 12,345 from 100 up, 12.3 below."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def median_text(values, fmt=figure, center=None):
    """The median of the runs, formatted by `fmt` (a function, or a str.format pattern
    such as "{:.2f}"), with its spread mark; '—' when there are no runs."""
    if not values:
        return "—"
    m = statistics.median(values) if center is None else center
    return (fmt.format(m) if isinstance(fmt, str) else fmt(m)) + spread_mark(values, center)


def ratio(a, b, digits=2):
    """a ÷ b as '2.35x'; '—' when either is missing or b is 0."""
    return f"{a / b:.{digits}f}x" if a is not None and b else "—"


def verdict(met, bold_met=False):
    """A goal's verdict: 'met' (in bold with bold_met) or '**MISSED**'; '—' when it could
    not be measured (met is None)."""
    if met is None:
        return "—"
    if not met:
        return "**MISSED**"
    return "**met**" if bold_met else "met"
