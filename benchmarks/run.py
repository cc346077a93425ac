"""Benchmark the real build and validate against the I/O floor and a naive peer.

For each size (the real snapshot, or N synthetic entries from generate.py), runs
`reentry-services build` and `reentry-services validate` as fresh processes `--repeat`
times and takes medians of wall time and peak memory (per stage, from --timings), and in
the same run measures:
  - F(N), the I/O floor: write the published services CSV's bytes once and read them back
    typed with pyarrow;
  - O(N), the output floor: write the bytes of every published file once and hash them,
    as a release must (F counts the services CSV only; the release is about ten times that);
  - the naive peer: the same table written with pandas to_csv, the JSON-LD built through an
    rdflib graph, and frictionless validation of the full services table (in each run, up
    to --naive-max rows);
  - for the real snapshot, `python -c "import pandas"` as the start-up reference.
Prints a Markdown table of the ratios the targets name and writes everything as JSON.

    python benchmarks/run.py [--repeat 3] [--naive-max 100000] [--out FILE] real 100000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from generate import REPO, generate

from reentry_services.model.readers import read_csv
from reentry_services.model.schema import SERVICES

COMMAND = Path(sys.executable).parent / "reentry-services"


def timed(args: list[str | Path]) -> tuple[float, list[dict]]:
    """Run a command in a fresh process; (wall seconds, its --timings stages)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as timings:
        start = time.perf_counter()
        subprocess.run(
            [*map(str, args), "--timings", timings.name], check=True, stdout=subprocess.DEVNULL
        )
        wall = time.perf_counter() - start
        return wall, json.loads(Path(timings.name).read_text())


def io_floor(csv_path: Path, scratch: Path) -> float:
    """F(N): write the services CSV's bytes once, then read them back typed."""
    data = csv_path.read_bytes()
    start = time.perf_counter()
    (scratch / "floor.csv").write_bytes(data)
    read_csv(SERVICES, scratch / "floor.csv")
    return time.perf_counter() - start


def output_floor(root: Path, scratch: Path) -> float:
    """O(N): write the bytes of every published file once and hash them (SHA-256), as a
    release must; the files are read in blocks, untimed."""
    seconds, copy = 0.0, scratch / "output-floor"
    published = [p for p in sorted((root / "dist").rglob("*")) if p.is_file()]
    for path in [*published, root / "datapackage.json"]:
        digest = hashlib.sha256()
        with path.open("rb") as source, copy.open("wb") as out:
            while block := source.read(1 << 24):
                start = time.perf_counter()
                out.write(block)
                digest.update(block)
                seconds += time.perf_counter() - start
        copy.unlink()
    return seconds


def naive_peer(root: Path, scratch: Path) -> dict[str, float]:
    """The well-known slow ways: pandas to_csv, an rdflib graph to JSON-LD, frictionless."""
    import frictionless
    import rdflib

    frame = pq.read_table(root / "dist" / "services.parquet").to_pandas()
    times = {}
    start = time.perf_counter()
    frame.to_csv(scratch / "naive.csv", index=False)
    times["pandas_to_csv"] = time.perf_counter() - start

    start = time.perf_counter()
    schema = rdflib.Namespace("http://schema.org/")
    graph = rdflib.Graph()
    for row in frame.itertuples():
        node = rdflib.URIRef(f"urn:service:{row.service_id}")
        graph.add((node, rdflib.RDF.type, schema.GovernmentService))
        graph.add((node, schema.identifier, rdflib.Literal(row.service_id)))
        graph.add((node, schema.name, rdflib.Literal(row.name_ja, lang="ja")))
        graph.add((node, schema.name, rdflib.Literal(row.name_en, lang="en")))
        graph.add((node, schema.description, rdflib.Literal(row.description_ja, lang="ja")))
        provider = rdflib.URIRef(f"urn:org:{abs(hash(row.provider_ja))}")
        graph.add((node, schema.provider, provider))
        graph.add((provider, schema.name, rdflib.Literal(row.provider_ja, lang="ja")))
        if isinstance(row.url, str):
            channel = rdflib.BNode()
            graph.add((node, schema.availableChannel, channel))
            graph.add((channel, schema.serviceUrl, rdflib.URIRef(row.url)))
    (scratch / "naive.jsonld").write_text(graph.serialize(format="json-ld"))
    times["rdflib_jsonld"] = time.perf_counter() - start

    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r for r in descriptor["resources"] if r["name"] in ("services", "sections")]
    start = time.perf_counter()
    report = frictionless.Package({"resources": tables}, basepath=str(root)).validate()
    times["frictionless_validate"] = time.perf_counter() - start
    assert report.valid, "the naive peer must validate the same valid table"
    return times


def import_pandas() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pandas"], check=True)
    return time.perf_counter() - start


def measure(size: str, repeat: int, naive_max: int, work: Path) -> dict:
    """Every number for one size, medians over `repeat` runs; each run measures everything
    in turn (the naive peer too, up to `naive_max` rows), so a machine that drifts faster
    or slower during the benchmark moves all of a ratio's terms alike."""
    raw = REPO / "raw"
    if size != "real":
        raw = work / f"raw-{size}"
        generate(int(size), raw)
    out = work / f"out-{size}"
    runs = []
    for _ in range(repeat):
        build_wall, build_stages = timed([COMMAND, "build", "--raw", raw, "--out", out])
        validate_wall, validate_stages = timed([COMMAND, "validate", "--root", out])
        runs.append(
            {
                "build": build_wall,
                "validate": validate_wall,
                "build_peak_mb": max(s["peak_rss_mb"] for s in build_stages),
                "validate_peak_mb": max(s["peak_rss_mb"] for s in validate_stages),
                "floor": io_floor(out / "dist" / "services.csv", work),
                "output_floor": output_floor(out, work),
                "stages": build_stages,
            }
        )
        if size == "real":
            runs[-1]["import_pandas"] = import_pandas()
        rows = pq.read_metadata(out / "dist" / "services.parquet").num_rows
        if rows <= naive_max:
            runs[-1]["naive"] = naive_peer(out, work)
    result = {
        key: statistics.median(r[key] for r in runs)
        for key in runs[0]
        if key not in ("stages", "naive")
    }
    result["stages"] = {
        s["stage"]: statistics.median(r["stages"][i]["seconds"] for r in runs)
        for i, s in enumerate(runs[0]["stages"])
    }
    if "naive" in runs[0]:
        result["naive"] = {
            key: statistics.median(r["naive"][key] for r in runs) for key in runs[0]["naive"]
        }
    result.update(
        size=size,
        rows=rows,
        runs=len(runs),
        dist_mb=round(
            sum(p.stat().st_size for p in (out / "dist").rglob("*") if p.is_file()) / 2**20, 1
        ),
    )
    return result


def ratios(result: dict) -> dict[str, float]:
    found = {
        "build / F": result["build"] / result["floor"],
        "(build + validate) / F": (result["build"] + result["validate"]) / result["floor"],
        "build / O": result["build"] / result["output_floor"],
    }
    if "import_pandas" in result:
        found["build / import pandas"] = result["build"] / result["import_pandas"]
        found["validate / import pandas"] = result["validate"] / result["import_pandas"]
    if "naive" in result:
        found["naive / build"] = sum(result["naive"].values()) / result["build"]
    return found


def table(results: list[dict]) -> str:
    lines = [
        "| size | rows | build s | validate s | F s | build peak MB | ratios |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        shown = "; ".join(f"{k} = {v:.2f}" for k, v in ratios(r).items())
        lines.append(
            f"| {r['size']} | {r['rows']:,} | {r['build']:.2f} | {r['validate']:.2f} "
            f"| {r['floor']:.3f} | {r['build_peak_mb']:.0f} | {shown} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", help="'real' or a number of synthetic entries")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--naive-max",
        type=int,
        default=100_000,
        help="skip the naive peer above this many rows (it is very slow)",
    )
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        results = [measure(size, args.repeat, args.naive_max, Path(work)) for size in args.sizes]
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpu_count": _cpus(),
            "platform": platform.platform(),
        },
        "results": [{**r, "ratios": ratios(r)} for r in results],
    }
    print(table(results))
    if args.out:
        args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
