#!/usr/bin/env python3
"""Split a callgrind profile of `briefing build` into data work, Pango/Cairo and the rest.

    python3 callgrind_share.py CALLGRIND_OUT [--tsv]

Reads a callgrind output file (any name/position compression) and prints the total instruction
count (`summary:`/`totals:`) and, for each group of functions below, its inclusive cost: the
instructions executed while at least one function of the group is on the call stack, computed as
the sum of the inclusive costs of the calls that enter the group from outside it (a call from a
group member to another is inside the group already). If code of a group calls out and back into
the group (e.g. `swift_arrayDestroy` calling a destructor of a BriefingAnalytics type), the inner
entry is counted twice, so that sum is an upper bound. The lower bound leaves out the calls made
by functions that ever run below the group (a flat profile cannot tell a re-entry from an outer
call of a shared function). Both are printed (`inclusive LOW-HIGH`), and the self cost (the
group's own instructions only).

Groups (a function belongs to the first that matches):
- data: Swift symbols of the BriefingAnalytics module (loading, the query engine, aggregation,
  formatting of figures), i.e. mangled names containing `BriefingAnalytics`, plus any symbol
  containing `Dataset` or `QueryEngine`; this includes generic specialisations over its types
  (--data-pattern REGEX replaces this rule);
- render: Pango, Cairo and the libraries under them (HarfBuzz, FreeType, Fontconfig, pixman,
  libpng, FriBidi, libthai, GLib/GObject as Pango uses them) and the BriefingCairo module;
- layout: the BriefingLayout module (Swift layout, tables, charts; calls into render are
  counted in render too: the groups' inclusive figures overlap, their self figures do not).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict

DATA_SYMBOL = re.compile(r"BriefingAnalytics|Dataset|QueryEngine")
RENDER_OBJECT = re.compile(
    r"lib(cairo|pango|harfbuzz|freetype|fontconfig|pixman|png|fribidi|thai|datrie|graphite2|"
    r"glib-2\.0|gobject-2\.0|gio-2\.0|expat|brotli)[^/]*$")
RENDER_SYMBOL = re.compile(r"BriefingCairo|^_?(cairo|pango|hb|FT|Fc|pixman|png)_")
LAYOUT_SYMBOL = re.compile(r"BriefingLayout")


def parse(path: str):
    """(total, self_cost{fn}, obj_of{fn}, edges[(caller, callee, inclusive)])."""
    names: dict[str, dict[str, str]] = {"ob": {}, "fl": {}, "fn": {}}
    kind_of = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl", "cfl": "fl",
               "fn": "fn", "cfn": "fn"}
    compressed = re.compile(r"^\((\d+)\)(?: (.*))?$")

    def resolve(kind: str, value: str) -> str:
        m = compressed.match(value)
        if not m:
            return value
        table = names[kind_of[kind]]
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
            return m.group(2)
        return table.get(m.group(1), value)

    total = None
    self_cost: dict[str, int] = defaultdict(int)
    obj_of: dict[str, str] = {}
    edges: dict[tuple[str, str], int] = defaultdict(int)
    ob = fn = cfn = cob = None
    ir_index = 0
    npos = 1
    pending_call = False
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line or line[0] == "#":
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                # Positions first (one per `positions:` entry), then costs; Ir is the first event.
                cost = int(parts[npos + ir_index]) if len(parts) > npos + ir_index else 0
                if pending_call:
                    edges[(fn, cfn)] += cost
                    pending_call = False
                else:
                    self_cost[fn] += cost
                continue
            key, _, value = line.partition("=")
            if key in ("ob", "fl", "fi", "fe"):
                v = resolve(key, value)
                if key == "ob":
                    ob = v
            elif key == "fn":
                fn = resolve(key, value)
                obj_of[fn] = ob or ""
            elif key == "cob":
                cob = resolve(key, value)
            elif key in ("cfi", "cfl"):
                resolve(key, value)
            elif key == "cfn":
                cfn = resolve(key, value)
                obj_of.setdefault(cfn, cob if cob is not None else (ob or ""))
                cob = None
            elif key == "calls":
                pending_call = True
            elif line.startswith("positions:"):
                npos = len(line.split(":", 1)[1].split())
            elif line.startswith("events:"):
                events = line.split(":", 1)[1].split()
                ir_index = events.index("Ir") if "Ir" in events else 0
            elif line.startswith(("summary:", "totals:")):
                value = int(line.split(":", 1)[1].split()[ir_index])
                total = value if total is None else max(total, value)
    if total is None:
        total = sum(self_cost.values())
    return total, self_cost, obj_of, edges



def classify(fn: str, obj: str, data: re.Pattern[str] = DATA_SYMBOL) -> str:
    if data.search(fn):
        return "data"
    if RENDER_OBJECT.search(obj) or RENDER_SYMBOL.search(fn):
        return "render"
    if LAYOUT_SYMBOL.search(fn):
        return "layout"
    return "other"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file")
    p.add_argument("--tsv", action="store_true", help=(
        "one line: total data_incl data_self render_incl render_self layout_incl layout_self "
        "data_incl_low render_incl_low"))
    p.add_argument("--data-pattern", default=DATA_SYMBOL.pattern,
                   help="regular expression on (mangled) function names for the data group (default: %(default)s)")
    args = p.parse_args()
    data = re.compile(args.data_pattern)
    total, self_cost, obj_of, edges = parse(args.file)
    functions = set(self_cost) | {f for e in edges for f in e}
    group = {f: classify(f, obj_of.get(f, ""), data) for f in functions}
    children: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        children[a].add(b)
    figures = {}
    for g in ("data", "render", "layout"):
        members = {f for f in functions if group[f] == g}
        # Functions outside the group that run below it: a call from one of them into the group may
        # be a re-entry (counted twice in the upper bound), so the lower bound leaves them out.
        below: set[str] = set()
        stack = [b for a in members for b in children[a] if b not in members]
        while stack:
            f = stack.pop()
            if f in below or f in members:
                continue
            below.add(f)
            stack.extend(children[f])
        entering = [(a, cost) for (a, b), cost in edges.items() if b in members and a not in members]
        upper = sum(cost for _, cost in entering)
        lower = sum(cost for a, cost in entering if a not in below)
        exclusive = sum(cost for f, cost in self_cost.items() if f in members)
        figures[g] = (max(upper, exclusive), exclusive, max(lower, exclusive))
    if args.tsv:
        print(total, *(v for g in ("data", "render", "layout") for v in figures[g][:2]),
              figures["data"][2], figures["render"][2], sep="\t")
        return 0
    pct = lambda v: 100.0 * v / total if total else 0.0  # noqa: E731
    print(f"total instructions (Ir): {total:,}")
    for g, label in (("data", "data work (BriefingAnalytics: loading + aggregation)"),
                     ("render", "Pango/Cairo and the font/raster libraries"),
                     ("layout", "BriefingLayout (Swift layout, tables, charts)")):
        inc, exc, low = figures[g]
        print(f"{label}: inclusive {low:,}-{inc:,} ({pct(low):.1f}-{pct(inc):.1f} %), "
              f"self {exc:,} ({pct(exc):.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
