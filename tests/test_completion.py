"""Shell completion: the install script for each shell, and values completed from the vocabularies."""

import os
import subprocess
import sys

import pytest

from essmap import completion


def complete(words: str, env_extra=None) -> list[str]:
    parts = words.split(" ")
    env = dict(os.environ, _ESSMAP_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(len(parts) - 1))
    env.update(env_extra or {})
    result = subprocess.run(
        [sys.executable, "-m", "essmap"], capture_output=True, text=True, env=env, timeout=60
    )
    return result.stdout.split()


@pytest.mark.parametrize(
    "words,expected",
    [
        ("essmap find --region bre", ["bretagne"]),
        ("essmap find --stage c", ["creation", "consolidation", "changement-echelle"]),
        ("essmap find --theme alim", ["alimentation"]),
        ("essmap find --kind incub", ["incubateur"]),
        ("essmap find --offer pret", ["pret-honneur"]),
        ("essmap orient --need garan", ["garantie"]),
        ("essmap find --department 2", ["2A", "2B", "21", "22", "23", "24", "25", "26", "27", "28", "29"]),
    ],
)
def test_values_complete(words, expected):
    assert complete(words) == expected


def test_ids_complete_from_the_catalogue(mini):
    found = complete(f"essmap show --catalogue {mini} tag", {})
    assert found == ["tag29"]
    assert complete(f"essmap show --catalogue {mini} le-") == ["le-transfo"]


def test_python_side_of_completion_is_light():
    assert completion.regions("ile")[0] == ("ile-de-france", "Île-de-France")
    assert ("29", "Finistère") in completion.departments("fin")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_install_script_for_each_shell(shell):
    result = subprocess.run(
        [sys.executable, "-m", "essmap", "--show-completion", shell],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert "_ESSMAP_COMPLETE" in result.stdout
