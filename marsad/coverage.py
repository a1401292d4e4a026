"""Coverage as a person reads it: a table, CSV/JSON rows, and a chart (PNG, and a
self-contained HTML page with the chart and the tables).

matplotlib draws the chart. The PNG reshapes Arabic labels (arabic-reshaper, python-bidi),
since matplotlib does not join Arabic letters; the HTML keeps the chart as inline SVG text,
which the browser shapes itself, so it needs no file beside it and no network.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from marsad.elastic.coverage import Coverage

SERIES = 8  # lines drawn per chart: the largest; the rest are summed as "other"


def rows(cov: Coverage, by: str = "outlet") -> list[dict]:
    """One row per period and name of the dimension (outlet, affiliation, country)."""
    return [
        {"period": period, by: name, "articles": counts.get(period, 0)}
        for name, counts in cov.counts.get(by, {}).items()
        for period in cov.periods
    ]


def summary(cov: Coverage) -> dict:
    """Everything in one JSON-ready object."""
    return {"subject": cov.subject, "interval": cov.interval, "total": cov.total,
            "periods": cov.periods, "counts": cov.counts, "first": cov.first,
            "top_entities": {k: [{"name": n, "articles": c} for n, c in v]
                             for k, v in cov.top_entities.items()}}  # fmt: skip


def _series(cov: Coverage, by: str) -> list[tuple[str, list[int]]]:
    named = sorted(cov.counts.get(by, {}).items(), key=lambda kv: -sum(kv[1].values()))
    lines = [(name, [c.get(p, 0) for p in cov.periods]) for name, c in named[:SERIES]]
    rest = named[SERIES:]
    if rest:
        lines.append(("other", [sum(c.get(p, 0) for _n, c in rest) for p in cov.periods]))
    return lines


def _figure(cov: Coverage, by: str, shape):
    import matplotlib

    matplotlib.use("Agg")
    from datetime import date

    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    days = mdates.date2num([date.fromisoformat(p) for p in cov.periods])
    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=110)
    for name, values in _series(cov, by):
        ax.plot(days, values, marker="o" if len(days) < 40 else None, linewidth=1.8,
                label=f"{shape(name)} ({sum(values)})")  # fmt: skip
    ax.set_title(shape(f"{cov.subject}: articles per {cov.interval} by {by} ({cov.total})"))
    ax.set_ylabel(f"articles per {cov.interval}")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    if cov.first:
        ax.annotate(shape(f"first: {cov.first['outlet']}"), xy=(0.99, 0.97),
                    xycoords="axes fraction", ha="right", va="top", fontsize=8)  # fmt: skip
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _reshaped(text: str) -> str:
    from arabic_reshaper import reshape
    from bidi.algorithm import get_display

    return str(get_display(reshape(text)))


def write_png(cov: Coverage, path: Path, by: str = "outlet") -> Path:
    import matplotlib.pyplot as plt

    fig = _figure(cov, by, _reshaped)
    fig.savefig(path, format="png")
    plt.close(fig)
    return path


def write_html(cov: Coverage, path: Path, by: str = "outlet") -> Path:
    """One page: the chart (inline SVG), the counts per period and the top entities."""
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: the browser shapes Arabic
    fig = _figure(cov, by, str)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    e = html.escape
    head = "".join(f"<th>{e(p)}</th>" for p in cov.periods)
    body = "".join(
        f"<tr><td dir='auto'>{e(name)}</td>" + "".join(f"<td>{v}</td>" for v in values)
        + f"<td><b>{sum(values)}</b></td></tr>"
        for name, values in _series(cov, by)
    )  # fmt: skip
    first = ""
    if cov.first:
        outlet, at, title = (e(str(cov.first[k])) for k in ("outlet", "at", "title"))
        first = f"<p>First: <b dir='auto'>{outlet}</b>, {at} — <span dir='auto'>{title}</span></p>"
    entities = "".join(
        f"<li>{e(kind)}: " + ", ".join(f"<span dir='auto'>{e(n)}</span> ({c})" for n, c in top)
        + "</li>"
        for kind, top in cov.top_entities.items() if top
    )  # fmt: skip
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(cov.subject)} — marsad coverage</title>
<style>body{{font-family:sans-serif;margin:1.5em}}
table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:right}}
svg{{max-width:100%;height:auto}}</style>
</head><body>
<h1>{e(cov.subject)}: {cov.total} articles</h1>
{first}
<figure id="chart">{svg}</figure>
<h2>Articles per {e(cov.interval)} by {e(by)}</h2>
<table><tr><th>{e(by)}</th>{head}<th>total</th></tr>{body}</table>
<h2>Top entities</h2><ul>{entities}</ul>
<p><small>marsad — counts from Elasticsearch aggregations on event_at (publication date,
else first seen).</small></p>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
