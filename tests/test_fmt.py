"""essmap fmt: one canonical form, that never changes what the tool reads."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import catalogue_text, entry
from essmap import catalogue, fmt


def test_check_fails_on_a_non_canonical_file_then_fmt_makes_it_canonical(run, write):
    path = write(catalogue_text(entry("beta", "Beta"), entry("alpha")))
    before = catalogue.load(path, use_cache=False).structures
    checked = run("fmt", "--check", str(path))
    assert checked.exit_code == 1 and f"would reformat {path}" in checked.stderr
    assert run("fmt", str(path)).exit_code == 0
    assert run("fmt", "--check", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert text.index("id: alpha") < text.index("id: beta")
    after = catalogue.load(path, use_cache=False).structures
    assert sorted(before, key=lambda s: s.id) == list(after)


def test_a_broken_catalogue_has_no_canonical_form(run, write):
    path = write("structures:\n  - id: a\n")
    result = run("fmt", "--check", str(path))
    assert result.exit_code == 1 and ":2:5: error: missing required field `name`" in result.stderr


text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u2028\u2029\ufeff"),
    min_size=1,
    max_size=60,
).filter(lambda t: t.strip() == t and t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(description=text, name=text)
def test_any_text_survives_the_canonical_form(write, description, name):
    """A ` #`, a `: `, a leading quote or a number is quoted, so the text reads back the same."""
    source = (
        catalogue_text(entry("alpha"))
        .replace("name: Alpha", "name: 'x'")
        .replace("description: Une description.", "description: 'y'")
    )
    path = write(source)
    loaded = catalogue.load(path, use_cache=False)
    import dataclasses

    changed = dataclasses.replace(loaded.structures[0], name=name, description=description)
    loaded._items = [changed]
    path.write_text(fmt.canonical(loaded), encoding="utf-8")
    again = catalogue.load(path, use_cache=False).structures[0]
    assert (again.name, again.description) == (name, description)
    assert fmt.format_file(path, check=True)


def test_description_with_a_hash_is_quoted(write):
    path = write(
        catalogue_text(entry("alpha")).replace("Une description.", "'Voir #3 et le point # suivant'")
    )
    loaded = catalogue.load(path, use_cache=False)
    out = fmt.canonical(loaded)
    assert "'Voir #3 et le point # suivant'" in out
