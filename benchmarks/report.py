"""docs/benchmarks.md and its chart, from bench/results.json's figures."""

from pathlib import Path


def _chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pages = results["pages"]
    names = [p["page"] for p in pages]
    ratios = [p["ratio"] for p in pages]
    colours = ["#1a7f37" if p["met"] else "#b42318" for p in pages]
    figure, axes = plt.subplots(figsize=(9, 0.38 * len(pages) + 1.4))
    axes.barh(names, ratios, color=colours)
    axes.axvline(8, color="#333", linestyle="--", linewidth=1)
    axes.axvline(4, color="#333", linestyle=":", linewidth=1)
    axes.invert_yaxis()
    axes.set_xlabel("p50 as a multiple of the floor (dashed: page target 8; dotted: signing POST target 4)")
    axes.set_title(f"Each page against the floor ({results['database']}, {results['floor_ms']} ms)")
    for y, ratio in enumerate(ratios):
        axes.text(ratio, y, f" {ratio}", va="center", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _load_line(results: dict) -> list[str]:
    load = results.get("load_average")
    if not load or not load.get("start"):
        return []
    start, end = (", ".join(str(x) for x in load[k]) for k in ("start", "end"))
    return [
        f"The machine was shared while it ran: load average {start} (1, 5, 15 minutes) at the start, "
        f"{end} at the end, on {results['machine'].split(', ')[1]}; the floor, measured in the same run, "
        "takes part of that into account."
    ]


def _line(label, value):
    return f"| {label} | {value} |"


def write_markdown(results: dict, docs: Path) -> None:
    docs.mkdir(exist_ok=True)
    _chart(results, docs / "benchmarks.png")
    size = results["size"]
    lines = [
        "# Benchmarks",
        "",
        f"Made by `make bench` on {results['when']}: {results['database']}, {results['machine']}.",
        f"A synthetic trust of {size['schools']} schools, {size['pupils']:,} pupils, {size['staff']:,} staff, "
        f"{size['visitors']:,} visitors, {size['governors']:,} governors, {size['policies']} policies a school with "
        f"{size['versions']} versions each, {size['signatures']:,} signatures, {size['cases']:,} cases and "
        f"{size['audit_entries']:,} audit entries. Each page: {results['requests_per_page']} requests with Django's "
        "test client, beside the floor (a `login_required` view returning `ok` behind the same middleware: "
        f"**{results['floor_ms']} ms**). Queries are counted at a trust a twentieth of the size and at the full size.",
        *_load_line(results),
        "",
        "![Each page's p50 as a multiple of the floor](benchmarks.png)",
        "",
        "| page | queries (small / full) | p50 ms | p95 ms | × floor | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in results["pages"]:
        lines.append(
            f"| {p['page']} | {p['queries_small']} / {p['queries']} | {p['p50_ms']} | {p['p95_ms']} | {p['ratio']} "
            f"| ≤ {p['target']} | {'yes' if p['met'] else '**no**'} |"
        )
    lines += ["", "## Background work", "", "| measure | figure |", "|---|---|"]
    scan = results.get("daily_scan")
    if scan:
        lines.append(
            _line("daily reminder scan", f"{scan['seconds']:.2f} s, {scan['queries']} queries (target ≤ 5 s)")
        )
    evidence = results.get("evidence_verification")
    if evidence:
        lines.append(
            _line(
                "evidence verification",
                f"{evidence['seconds']:.2f} s over {evidence['audit_entries']:,} audit entries",
            )
        )
    pdfs = results.get("sealed_pdfs")
    if pdfs:
        lines.append(
            _line(
                "sealed evidence PDFs",
                f"{pdfs['per_second']} a second over {pdfs['signatures']:,} signatures (target ≥ 30)",
            )
        )
        lines.append(
            _line(
                "export memory",
                f"peak {pdfs['peak_rss_mb']} MB; {pdfs['rss_first_batch_mb']} MB after the first batch, {pdfs['rss_last_batch_mb']} MB after the last",
            )
        )
    load = results.get("concurrent_signing")
    if load:
        lines.append(_line(
            f"signing from {load['clients']} concurrent clients (gunicorn, {load['gunicorn_workers']} workers)",
            f"{load['signatures_per_second']} a second; {load['signatures']} signatures for {load['people']} people "
            f"({load['posts']} POSTs, each form sent twice at once); {load['errors']} errors, {load['duplicates']} duplicates",
        ))  # fmt: skip
    lines += ["", "The raw figures are in `bench/results.json`.", ""]
    notes = Path(__file__).with_name("notes.md")
    if notes.exists():  # what the profiles showed, written by hand: kept when the figures are remade
        lines += ["## Notes", "", notes.read_text().strip(), ""]
    (docs / "benchmarks.md").write_text("\n".join(lines))
