"""The explorer in headless Chromium against the real `serve`: the issue's scenario, on the real sample
and on demo data, then keyboard, errors, images and data exports."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server, Visit
from tests.e2e.rules import boxes, visible

ORGANIGRAM = "query($f: String!, $d: Date) { organigram(finess: $f, asOf: $d, depth: 3) { tree } }"
ECOSYSTEM = (
    "query($f: String!, $d: Date, $depth: Int!) { ecosystem(finess: $f, asOf: $d, depth: $depth) { graph } }"
)
EARLIER = ("2015-01-01", "2010-01-01", "2005-01-01", "2020-01-01")
SVG = "http://www.w3.org/2000/svg"
STRUCTURE_KINDS = {"LEGAL_ENTITY", "ESTABLISHMENT", "ORGANIC_GROUPING", "CONVENTIONAL_GROUPING"}


@dataclass
class Case:
    """A legal entity whose organigram differs between two dates, with an ecosystem node to expand."""

    finess: str
    name: str
    latest: str
    earlier: str
    tree_latest: dict[str, Any]
    tree_earlier: dict[str, Any]
    graph: dict[str, Any]  # its ecosystem at the earlier date, one hop
    target: dict[str, Any]  # a structure of it whose own neighbours add nodes
    added: set[str]


def organigram(server: Server, finess: str, day: str) -> dict[str, Any] | None:
    found = server.gql(ORGANIGRAM, f=finess, d=day)["organigram"]
    return found["tree"] if found else None


def find_case(server: Server) -> Case:
    """The first legal entity (by name) drawn with a few boxes that change between two dates."""
    latest = server.gql("{ stats { snapshot } }")["stats"]["snapshot"]
    page = server.client.get("/api/v1/search", params={"kind": "LegalEntity", "limit": 100}).json()
    for item in page["items"]:
        now = organigram(server, item["finess"], latest)
        if now is None or not 3 <= visible(now) <= 400:
            continue
        for day in EARLIER:
            before = organigram(server, item["finess"], day)
            if before is None or visible(before) <= 1 or visible(before) == visible(now):
                continue
            graph = server.gql(ECOSYSTEM, f=item["finess"], d=day, depth=1)["ecosystem"]["graph"]
            ids = {node["id"] for node in graph["nodes"]}
            for node in graph["nodes"]:
                if node["kind"] in STRUCTURE_KINDS and node["depth"] > 0:
                    more = server.gql(ECOSYSTEM, f=node["finess"] or node["id"], d=day, depth=1)
                    added = {m["id"] for m in more["ecosystem"]["graph"]["nodes"]} - ids
                    if added:
                        return Case(
                            item["finess"], item["name"], latest, day, now, before, graph, node, added
                        )
    raise AssertionError(f"{server.name}: no legal entity whose organigram changes between two dates")


def rendered(page: Page, view: str, after: int = 0) -> int:
    """Wait until `view` is drawn (a render later than `after`); return the render's number."""
    page.wait_for_function(
        "([view, after]) => { const d = document.getElementById('dessin');"
        " return d && d.dataset.vue === view && Number(d.dataset.rendu) > after"
        " && d.getAttribute('aria-busy') !== 'true'; }",
        arg=[view, after],
    )
    return int(page.locator("#dessin").get_attribute("data-rendu") or 0)


def test_scenario(server: Server, visit: Visit, tmp_path: Path) -> None:
    """Search → structure → organigram → date → ecosystem expansion → SVG export → reopen from the URL."""
    case = find_case(server)
    page = visit.page

    # Search by name, open the structure from the results.
    page.goto(server.url)
    page.fill("#q", case.name)
    page.press("#q", "Enter")
    result = page.locator(f"#resultats a[href^='/structures/{case.finess}']")
    expect(result).to_have_count(1)
    result.click()
    page.wait_for_url(re.compile(rf"/structures/{case.finess}\?"))

    # The organigram at the latest date: as many boxes as the API's tree gives.
    n = rendered(page, "organigramme")
    expect(page.locator("#nom")).to_contain_text(case.name.strip().split()[0])
    assert page.input_value("#au") == case.latest
    assert page.locator("#dessin").get_attribute("data-boites") == str(boxes(case.tree_latest))
    expect(page.locator("#dessin g.box")).to_have_count(visible(case.tree_latest))

    # Another date: the organigram is drawn again with that date's boxes.
    page.fill("#au", case.earlier)
    n = rendered(page, "organigramme", n)
    expect(page.locator("#dessin g.box")).to_have_count(visible(case.tree_earlier))
    assert visible(case.tree_earlier) != visible(case.tree_latest)
    assert f"au={case.earlier}" in page.url

    # The ecosystem at that date, then one structure's neighbours added by keyboard.
    page.click("#onglet-ecosysteme")
    n = rendered(page, "ecosysteme", n)
    graph = server.gql(ECOSYSTEM, f=case.finess, d=case.earlier, depth=2)["ecosystem"]["graph"]
    expect(page.locator("#dessin g.node")).to_have_count(len(graph["nodes"]))
    page.select_option("#eco-profondeur", "1")  # one hop: its neighbours have neighbours of their own
    n = rendered(page, "ecosysteme", n)
    graph, target, added = case.graph, case.target, case.added
    expect(page.locator("#dessin g.node")).to_have_count(len(graph["nodes"]))
    ids = {node["id"] for node in graph["nodes"]}
    node = page.locator(f"#dessin g.node[data-id='{target['id']}']")
    node.focus()
    page.keyboard.press("Enter")
    n = rendered(page, "ecosysteme", n)
    expect(page.locator("#dessin g.node")).to_have_count(len(ids) + len(added))
    expect(node).to_have_class(re.compile("expanded"))
    assert f"etendus={target['finess'] or target['id']}" in page.url
    assert "profondeur=1" in page.url

    # SVG export of what is drawn: every node, as circles, in a standalone SVG document.
    with page.expect_download() as info:
        page.click("button[data-export=svg]")
    download = info.value
    assert download.suggested_filename == f"{case.finess}-ecosysteme-{case.earlier}.svg"
    svg = Path(download.path()).read_text("utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ElementTree.fromstring(svg.encode("utf-8"))  # well-formed, standalone
    assert root.tag == f"{{{SVG}}}svg"
    assert root.get("viewBox")
    assert len(root.findall(f".//{{{SVG}}}circle")) == len(ids) + len(added)
    names = {t.text for t in root.iter(f"{{{SVG}}}title")}
    assert any(target["name"] in (t or "") for t in names)
    assert "tabindex" not in svg

    # The address reopens the same view: same date, same expanded node, same nodes.
    url = page.url
    again = page.context.new_page()
    again.on("request", lambda r: visit.requests.append(r.url))
    again.goto(url)
    rendered(again, "ecosysteme")
    expect(again.locator("#onglet-ecosysteme")).to_have_attribute("aria-selected", "true")
    assert again.input_value("#au") == case.earlier
    expect(again.locator("#dessin g.node")).to_have_count(len(ids) + len(added))
    expect(again.locator(f"#dessin g.node[data-id='{target['id']}']")).to_have_class(re.compile("expanded"))
    assert again.url == url


def test_unknown_finess_is_one_french_sentence(sample_server: Server, visit: Visit) -> None:
    page = visit.page
    latest = sample_server.gql("{ stats { snapshot } }")["stats"]["snapshot"]
    page.goto(f"{sample_server.url}structures/999999999")
    error = page.locator("#erreur")
    expect(error).to_be_visible()
    day = page.evaluate(
        "(d) => new Intl.DateTimeFormat('fr-FR', {day: 'numeric', month: 'long', year: 'numeric',"
        " timeZone: 'UTC'}).format(new Date(d + 'T00:00:00Z')).replace(/^1 /, '1er ')",
        latest,
    )
    expect(error).to_have_text(
        f"Aucune structure portant le numéro 999999999 n'est connue du répertoire au {day}."
    )
    expect(page.locator(".views")).to_be_hidden()
    page.goto(f"{sample_server.url}structures/pas-un-numero")
    expect(page.locator("#erreur")).to_have_text(
        "« pas-un-numero » n'est pas un numéro FINESS, un numéro de groupement ni un identifiant connu."
    )


def test_keyboard_reaches_results_and_controls(sample_server: Server, visit: Visit) -> None:
    page = visit.page
    page.goto(sample_server.url)
    page.focus("#q")
    page.keyboard.type("chu dijon")
    expect(page.locator("#suggestions [role=option]").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#q")).to_have_attribute("aria-activedescendant", re.compile("-0$"))
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    expect(page.locator("#resultats a").first).to_be_visible()
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.closest('#resultats') !== null"))
        if reached[-1]:
            break
    assert reached[-1], "Tab never reached a search result"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused result shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/structures/"))
    rendered(page, "organigramme")

    # Date, tabs, a box of the organigram and the export buttons are all reached with Tab.
    seen: set[str] = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        seen.add(
            page.evaluate(
                "() => { const e = document.activeElement; return e.id || (e.dataset && (e.dataset.export"
                " || e.dataset.kind)) || e.tagName; }"
            )
        )
        if "png" in seen:
            break
    assert {"au", "onglet-organigramme", "org-profondeur", "png"} <= seen, seen
    assert "LEGAL_ENTITY" in seen or "CONVENTIONAL_GROUPING" in seen or "ESTABLISHMENT" in seen, seen
    # A label names every control of the page.
    unlabelled = page.evaluate(
        "() => [...document.querySelectorAll('input, select')].filter(e => !e.labels?.length"
        " && !e.getAttribute('aria-label')).map(e => e.outerHTML)"
    )
    assert unlabelled == []


def test_png_and_data_exports(sample_server: Server, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{sample_server.url}structures/210780581?vue=ecosysteme&profondeur=1")
    rendered(page, "ecosysteme")
    count = page.locator("#dessin g.node").count()
    with page.expect_download() as info:
        page.click("button[data-export=png]")
    assert Path(info.value.path()).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with page.expect_download() as info:
        page.click("button[data-export=json]")
    data = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert len(data["nodes"]) == count
    assert data["graph"]["depth"] == 1
    with page.expect_download() as info:
        page.click("button[data-export=graphml]")
    assert "<graphml" in Path(info.value.path()).read_text("utf-8")
    with page.expect_download() as info:
        page.click("button[data-export=csv]")
    assert Path(info.value.path()).read_bytes().startswith(b"PK")  # the zip of nodes.csv and edges.csv


def test_timeline_sets_the_date(sample_server: Server, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{sample_server.url}structures/210781654?vue=chronologie&au=tout")
    n = rendered(page, "chronologie")
    entries = sample_server.client.get("/api/v1/structures/210781654/timeline").json()
    expect(page.locator("#dessin circle.fact")).to_have_count(len([e for e in entries if e["date"]]))
    page.locator("#dessin tbody button").first.click()
    rendered(page, "chronologie", n)
    assert page.input_value("#au") == entries[0]["date"]
    assert f"au={entries[0]['date']}" in page.url


def test_path_between_two_structures(sample_server: Server, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{sample_server.url}chemin?de=210780581&a=520780032")
    rendered(page, "chemin")
    path = sample_server.client.get("/api/v1/path", params={"from": "210780581", "to": "520780032"}).json()
    on_path = {i for p in path["graph"]["paths"] for i in p}
    expect(page.locator("#dessin g.node.on-path")).to_have_count(len(on_path))
    expect(page.locator("#etat")).to_contain_text("chemin")


@pytest.mark.parametrize("path", ["/", "/structures/210780581", "/chemin"])
def test_pages_run_under_a_strict_content_security_policy(
    sample_server: Server, visit: Visit, path: str
) -> None:
    violations: list[str] = []
    visit.page.on(
        "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
    )
    response = visit.page.goto(sample_server.url.rstrip("/") + path)
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    visit.page.wait_for_load_state("networkidle")
    assert violations == []


def test_graphiql_runs_a_query_under_the_strict_policy(sample_server: Server, visit: Visit) -> None:
    violations: list[str] = []
    visit.page.on(
        "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
    )
    response = visit.page.goto(sample_server.url.rstrip("/") + "/graphql")
    assert response is not None
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    expect(visit.page.locator(".graphiql-container")).to_be_visible()
    visit.page.locator(".graphiql-execute-button").click()  # runs the example query
    expect(visit.page.locator(".graphiql-response")).to_contain_text('"totalCount"', timeout=20_000)
    expect(visit.page.locator(".graphiql-response")).to_contain_text("CENTRE HOSPITALIER")
    assert violations == [], sorted({v[:25] + " … " + v.partition("directive")[2] for v in violations})


def test_openapi_documentation_under_the_strict_policy(sample_server: Server, visit: Visit) -> None:
    violations: list[str] = []
    visit.page.on(
        "console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None
    )
    response = visit.page.goto(sample_server.url.rstrip("/") + "/docs")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(visit.page.locator(".opblock-summary-path").first).to_be_visible()
    paths = visit.page.locator(".opblock-summary-path").all_text_contents()
    assert "/api/v1/structures/{finess}" in [p.replace("\u200b", "") for p in paths]
    visit.page.wait_for_load_state("networkidle")
    assert violations == []
