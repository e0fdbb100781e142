"""Each command imports only what it needs (checked in a fresh interpreter)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import essmap

PROBE = """
import json, sys
from essmap.cli import main
sys.argv = ["essmap", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
heavy = ("yaml", "rapidfuzz", "jsonschema", "essmap.validate", "essmap.build", "essmap.yamltree", "rich.table",
         "httpx", "essmap.online", "essmap.datainclusion", "fastapi", "jinja2", "uvicorn", "essmap.web")
print(json.dumps(sorted({m for m in sys.modules for h in heavy if m == h or m.startswith(h + ".")})), file=sys.stderr)
"""


def loaded_modules(*args: str, env: dict | None = None) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args", [("--version",), ("--help",), ("find", "--help"), ("check", "--help"), ("serve", "--help")]
)
def test_version_and_help_load_no_parser_nor_matcher(args):
    assert loaded_modules(*args) - {"rich.table"} == set()  # Typer draws its help with Rich tables


def test_warm_filtered_find_loads_no_parser_matcher_nor_validator(mini, private_cache):
    env = {"XDG_CACHE_HOME": str(private_cache.parent)}
    loaded_modules("find", "--region", "bretagne", "-c", str(mini), env=env)  # fills the cache
    assert loaded_modules("find", "--region", "bretagne", "-c", str(mini), env=env) == set()


def test_cold_find_parses_yaml_but_loads_no_matcher(mini, private_cache):
    env = {"XDG_CACHE_HOME": str(private_cache.parent)}
    modules = loaded_modules("find", "--stage", "creation", "--no-cache", "-c", str(mini), env=env)
    assert "yaml" in modules and "rapidfuzz" not in modules and "essmap.validate" not in modules


@pytest.mark.parametrize("args", [("--help",), ("find", "--region", "bretagne", "--stage", "creation")])
def test_no_call_imports_pydantic(args, mini, private_cache):
    """Typer 0.29 imports pydantic while parsing options (pyproject pins typer<0.29): lift the pin
    when this test passes on a newer Typer."""
    probe = PROBE.replace("heavy = (", 'heavy = ("pydantic", ')
    env = {**os.environ, "XDG_CACHE_HOME": str(private_cache.parent), "ESSMAP_CATALOGUE": str(mini)}
    result = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(args)], capture_output=True, text=True, timeout=60, env=env
    )
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert not {m for m in loaded if m == "pydantic" or m.startswith("pydantic.")}


def _import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports, lazily or not."""
    import ast

    folder = Path(essmap.__file__).parent
    names = {p.stem for p in folder.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "essmap":
                parts = node.module.split(".")
                found |= {a.name for a in node.names} if len(parts) == 1 else {parts[1]}
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("essmap.")}
        graph[path.stem] = (found & names) - {path.stem}
    return graph


def test_no_import_cycle_even_through_lazy_imports():
    graph = _import_graph()
    assert {"catalogue", "build", "geo", "communes", "places"} <= graph.keys()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                if nxt == goal:
                    return True
                seen.add(nxt)
                todo.append(nxt)
        return False

    cycles = sorted(m for m in graph if reaches(m, m))
    assert cycles == []
