"""The HTML is one self-contained file (no external resource) with every document text escaped; the static
figures are written as PNG and SVG; the CLI makes every format."""

from __future__ import annotations

import json
import re

import pytest

from iei_kg.cli import main
from iei_kg.maps import concept_network, gap_map
from iei_kg.maps.html import embed_json, render_gap_html, render_network_html

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)|@import|url\(\s*["']?(?:https?:|//)""", re.I)


def test_embedded_json_cannot_close_the_script():
    text = embed_json({"q": "</script><script>alert(1)</script><!-- & -->"})
    assert "</" not in text and "<!--" not in text and "&" not in text
    assert json.loads(text) == {"q": "</script><script>alert(1)</script><!-- & -->"}


def test_gap_html_is_self_contained_and_escaped(tmp_path):
    from maps_samples import synthetic_statements

    statements = synthetic_statements(concepts=40, docs=4, per_doc=10)
    (path,) = render_gap_html(gap_map(statements), tmp_path / "gap.html")
    text = path.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert text.count("<script") == 2                       # the data and the code, both inline
    assert "<img src=x" not in text and "onerror=alert(1)>" not in text
    assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "document.write" not in text


def test_network_html_is_self_contained(statements, labels, tmp_path):
    (path,) = render_network_html(concept_network(statements, labels), tmp_path / "net.html")
    text = path.read_text(encoding="utf-8")
    assert not EXTERNAL.search(text)
    assert "innerHTML" not in text
    data = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', text, re.S)[1])
    assert len(data["nodes"]) == 7 and {n[2] for n in data["nodes"]} == {"problem", "countermeasure", "stakeholder"}


@pytest.mark.parametrize("kind,fmt,names", [
    ("gap", "html", ["out.html"]), ("gap", "csv", ["out.csv", "out-evidence.csv"]),
    ("gap", "png", ["out.png"]), ("gap", "svg", ["out.svg"]),
    ("network", "html", ["out.html"]), ("network", "png", ["out.png"]), ("network", "svg", ["out.svg"]),
    ("network", "csv", ["out-nodes.csv", "out-edges.csv"]), ("network", "vosviewer", ["out.json"]),
    ("network", "vos", ["out-map.txt", "out-network.txt"]), ("network", "gexf", ["out.gexf"]),
    ("network", "graphml", ["out.graphml"]),
])
def test_cli_writes_each_format(kg_dir, tmp_path, capsys, kind, fmt, names):
    if fmt in ("png", "svg"):
        pytest.importorskip("matplotlib")
    suffix = {"vosviewer": ".json", "vos": ".txt"}.get(fmt, "." + fmt)
    out = tmp_path / f"out{suffix}"
    assert main(["map", kind, "--kg", str(kg_dir), "-o", str(out), "--format", fmt]) == 0
    for name in names:
        assert (tmp_path / name).stat().st_size > 0
    assert capsys.readouterr().out.split() == [str(tmp_path / n) for n in names]


def test_static_figures_are_images(kg_dir, tmp_path):
    pytest.importorskip("matplotlib")
    assert main(["map", "gap", "--kg", str(kg_dir), "-o", str(tmp_path / "gap.png")]) == 0
    assert (tmp_path / "gap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["map", "network", "--kg", str(kg_dir), "-o", str(tmp_path / "net.svg")]) == 0
    assert "<svg" in (tmp_path / "net.svg").read_text(encoding="utf-8")[:2000]


def test_cli_filters(kg_dir, tmp_path, capsys):
    out = tmp_path / "gap.csv"
    assert main(["map", "gap", "--kg", str(kg_dir), "-o", str(out), "--doc", "paper-a",
                 "--stakeholder", "S-government"]) == 0
    assert "P-enterprise-motivation" in out.read_text(encoding="utf-8")
    assert ",1," in out.read_text(encoding="utf-8").splitlines()[2] + ","
    assert main(["map", "gap", "--kg", str(kg_dir), "--year-from", "2020", "-o", str(out)]) == 1
    assert "no year" in capsys.readouterr().err
    assert main(["map", "gap", "--kg", str(kg_dir), "--doc-type", "policy", "-o", str(out)]) == 1
    assert main(["map", "gap", "--kg", str(kg_dir), "--stakeholder", "S-nobody", "-o", str(out)]) == 1
    assert main(["map", "gap", "--kg", str(kg_dir), "--doc", "zzz*", "-o", str(out)]) == 1
    assert main(["map", "gap", "--kg", str(kg_dir), "--format", "gexf", "-o", str(out)]) == 1
    assert "comes as html, png, svg, csv" in capsys.readouterr().err
    assert main(["map", "gap", "--kg", str(kg_dir), "-o", str(tmp_path / "gap.gexf")]) == 1   # suffix -> format
    assert main(["map", "network", "--kg", str(kg_dir), "-o", str(tmp_path / "net.json")]) == 0
    assert "network" in json.loads((tmp_path / "net.json").read_text(encoding="utf-8"))


def test_cli_on_an_empty_graph(tmp_path, capsys):
    import iei_sample

    kg = iei_sample.make_kg(tmp_path / "kg", docs=())
    assert main(["map", "gap", "--kg", str(kg), "-o", str(tmp_path / "gap.html")]) == 1
    assert "holds no statement" in capsys.readouterr().err
