"""Answers to a person's question: the text understood, the ranking, the door, the lifecycle."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from essmap import catalogue, orient, places, query
from essmap.understand import stem, understand

ANSWERS = Path(__file__).parent / "fixtures" / "answers.yaml"


@pytest.fixture(scope="module")
def loaded():
    return catalogue.load(ANSWERS, use_cache=False)


def ids(result):
    return [s.id for s in result.structures]


@pytest.mark.parametrize(
    ("text", "departments"),
    [
        ("trouver un financement pour mon association à Rennes", {"35"}),
        ("créer une scop à Lille", {"59"}),
        ("DLA Metz", {"57"}),
        ("CRESS Strasbourg", {"67"}),
        ("accompagnement création entreprise sociale 29", {"29"}),
        ("incubateur en Gironde", {"33"}),
        ("incubateur à Clermont", {"63"}),
        ("prêt d'honneur 35000", {"35"}),
        ("dla mozelle", {"57"}),
        ("financement ESS Nord-Pas-de-Calais", {"59", "62"}),
        ("incubateur en Provence-Alpes-Côte d'Azur", {"04", "05", "06", "13", "83", "84"}),
        ("test organic farming before settling in Burgundy", {"21", "58", "71", "89"}),
        ("consulting support for a nonprofit employer on Reunion Island", {"974"}),
        ("dla sein saint denis", {"93"}),  # Seine-Saint-Denis misspelt, not the town Saint-Denis
        ("paie de la loire incubateur", {"44", "49", "53", "72", "85"}),
    ],
)
def test_places_in_the_text_are_understood(text, departments):
    assert understand(text).departments == departments


@pytest.mark.parametrize(
    "text", ["France Active", "incubateur", "¼ de financement", "sport", "mode d'emploi"]
)
def test_words_that_only_look_like_places_are_not_places(text):
    assert not understand(text).places


@pytest.mark.parametrize(
    ("text", "departments"),
    [
        ("on monte un tiers-lieu au Lamentin", {"972"}),  # Le Lamentin, not Lamentin (971)
        ("une épicerie aux Abymes", {"971"}),
        ("une asso au mans", {"72"}),
        ("dans le sud Ardèche", {"07"}),  # "sud" is no Région Sud here
        ("asso de 10 salariés à Brest", {"29"}),  # ten people, not the Aube (10)
        ("dans le 29, côté Brest", {"29"}),
        ("une collecte en ligne", set()),  # not Ligné (44)
        ("mon asso à Saint-Martin", {"971"}),  # the island, with the Guadeloupe in the catalogue
        ("à Saint-Martin-d'Hères", {"38"}),
        ("on s'installe au quartier du pont", set()),
        ("un local au port", set()),
    ],
)
def test_au_and_aux_carry_the_article_of_a_town(text, departments):
    assert understand(text).departments == departments


def test_a_typo_of_a_place_does_not_swallow_the_word_before_it():
    understood = understand("ciap centre val de loir")
    assert [words for words, _place in understood.places] == ["centre val de loir"]
    assert understood.words == ["ciap"]


@pytest.mark.parametrize(
    ("text", "facet", "value"),
    [
        ("je cherche de l'argent", "offer", "financement"),
        ("funding for a cooperative", "offer", "financement"),
        ("funding for a cooperative", "theme", "entrepreneuriat-collectif"),
        ("incubators", "kind", "incubateur"),
        ("financer mon projet", "offer", "financement"),
        ("association employeuse", "offer", "appui-rh"),
        ("incubatuer", "kind", "incubateur"),
        ("tiers lieux", "kind", "tiers-lieu"),
        ("changer d'échelle", "stage", "changement-echelle"),
        ("support for a disabled person launching a business", "theme", "sante"),
        ("support for a disabled person launching a business", "stage", "creation"),
        ("trial my business idea", "offer", "test-activite"),
        ("on est en galère de trésorerie", "offer", "diagnostic"),
        ("il faudrait faire le point avec quelqu'un", "offer", "diagnostic"),
        ("me lancer en restant salariée", "kind", "cae"),
        ("vendre mes gâteaux sans ouvrir une entreprise", "offer", "test-activite"),
        ("la banque a dit non", "offer", "financement"),
        ("un petit crédit", "offer", "financement"),
        ("on a repéré des besoins non couverts", "offer", "detection-besoins"),
        ("faire émerger une activité", "offer", "ideation"),
        ("couveuse", "kind", "couveuse"),
        ("notre patron part à la retraite", "theme", "reprise-transmission"),
        ("qui peut nous aider à y voir clair", "offer", "diagnostic"),
        ("les subventions baissent", "offer", "diagnostic"),
        ("prêt refusé pour mon food truck", "offer", "financement"),
        ("sans me retrouver seul avec la paperasse", "kind", "cae"),
        ("I want to work for myself", "kind", "cae"),
        ("quelqu'un qui tient une permanence près de chez moi", "offer", "accueil-orientation"),
        ("who can advise us", "offer", "accompagnement-individuel"),
        ("try it for a season", "offer", "test-activite"),
        ("citizens investing their savings", "offer", "investissement"),
        ("une cantine bio avec les producteurs", "theme", "agriculture"),
        ("notre club de hand", "theme", "sport"),
        ("se porter garant", "offer", "garantie"),
        ("un atelier partagé", "offer", "hebergement"),
        ("un regard extérieur sur notre organisation", "offer", "diagnostic"),
        ("trouver des partenaires", "offer", "mise-en-reseau"),
        ("ouvrir un deuxième site", "stage", "changement-echelle"),
        ("on cherche des actionnaires", "offer", "investissement"),
        ("je voudrais me renseigner", "offer", "accueil-orientation"),
        ("il existe des aides ?", "offer", "financement"),
        ("facturer mes concerts sans devenir auto-entrepreneuse", "kind", "cae"),
        ("qui peut me conseiller au départ ?", "offer", "accueil-orientation"),
    ],
)
def test_needs_kinds_and_themes_in_a_persons_words(text, facet, value):
    assert value in understand(text).facet(facet)


def test_plurals_and_verb_forms_share_a_stem():
    assert stem("financements") == stem("financement") == stem("financer")
    assert stem("incubateurs") == stem("incubateur")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_understanding_never_fails(text):
    found = understand(text)
    assert all(place.departments for _, place in found.places)
    assert isinstance(found.summary(), str)


def test_an_exact_name_ranks_first(loaded):
    assert ids(query.find(loaded, text="CRESS Bretagne"))[0] == "cress-bretagne"
    assert ids(query.find(loaded, text="france active bretagne"))[0] == "france-active-bretagne"


def test_place_in_text_filters_and_nearest_comes_first(loaded):
    found = ids(query.find(loaded, text="financement association Brest"))
    assert "france-active-bretagne" in found and "fonds-ancien" in found
    assert found.index("france-active-bretagne") < found.index("financeur-national")
    assert "incubateur-lille" not in found


def test_unverified_ranks_after_active_at_equal_relevance(loaded):
    found = ids(query.find(loaded, text="financement Finistère"))
    assert found.index("france-active-bretagne") < found.index("fonds-ancien")


def test_literal_search_keeps_the_place_as_a_word(loaded):
    understood = query.find(loaded, text="pôle Brest").understood
    assert understood is not None and understood.departments == {"29"}
    literal = query.find(loaded, text="pôle Brest", literal=True)
    assert not literal.understood.places and "brest" in literal.understood.words


def test_merged_never_offered_but_its_id_resolves(loaded, run):
    assert "vieille-chambre" not in ids(query.find(loaded, text="chambre"))
    assert "vieille-chambre" in ids(query.find(loaded, query.Filters(include_closed=True), "chambre"))
    shown = run("show", "vieille-chambre", "-c", str(ANSWERS))
    assert shown.exit_code == 0
    assert (
        "Merged into cress-grand-est: Ancienne chambre de Lorraine (essmap show cress-grand-est)"
        in shown.stderr
    )


def test_a_former_id_keeps_resolving(loaded, run):
    assert loaded.resolve("ruche-lille-vieux").id == "incubateur-lille"
    shown = run("show", "ruche-lille-vieux", "-f", "json", "-c", str(ANSWERS))
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == "incubateur-lille"
    assert "former id of incubateur-lille" in shown.stderr


def test_offers_derived_from_the_kind_are_apart(run, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    rows = json.loads(run("find", "--kind", "dla", "-f", "json", "-c", str(ANSWERS)).stdout)
    assert rows[0]["offers"] == [] and "diagnostic" in rows[0]["offers_derived"]
    explained = run("find", "diagnostic Quimper", "--explain", "-c", str(ANSWERS))
    assert "propose : Diagnostic, selon son type" in explained.stdout


def test_find_says_what_it_understood(run, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    result = run("find", "financement à Brest", "-c", str(ANSWERS))
    assert result.exit_code == 0
    assert "compris : lieu : Brest, Finistère (29) ; besoin : Financement" in result.stderr


def test_the_door_welcomes_anyone_nearest_first_never_a_cluster(loaded):
    brest = orient.orient(loaded, "creation", places.resolve_department("29"), ())
    door = [r.structure.id for r in brest.steps[0].recommendations]
    assert door[0] in ("pole-brest", "pole-quimper") and "cress-bretagne" in door
    assert "cluster-sport" not in door
    from essmap.communes import resolve_commune

    quimper = orient.orient(loaded, "creation", resolve_commune("Quimper"), ())
    assert quimper.steps[0].recommendations[0].structure.id == "pole-quimper"


def test_a_need_is_matched_on_derived_offers_and_national_is_not_filler(loaded):
    path = orient.orient(
        loaded, "consolidation", places.resolve_department("29"), ("diagnostic", "financement")
    )
    diagnostic, financement = path.steps[1], path.steps[2]
    assert [r.structure.id for r in diagnostic.recommendations] == ["dla-29"]
    found = [r.structure.id for r in financement.recommendations]
    assert found[0] == "france-active-bretagne"
    assert (
        found.index("fonds-ancien") < found.index("financeur-national")
        if "financeur-national" in found
        else True
    )


def test_a_department_without_a_dla_is_pointed_to_the_national_programme(loaded, run, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    path = orient.orient(loaded, "consolidation", places.resolve_department("22"), ("diagnostic",))
    step = path.steps[1]
    assert step.message.startswith(
        "Aucun DLA départemental dans le catalogue pour 1 département(s) : Côtes-d'Armor (22)"
    )
    assert "essmap show dla" in step.message
    assert "dla" in [r.structure.id for r in step.recommendations]
    served = orient.orient(loaded, "consolidation", places.resolve_department("29"), ("diagnostic",)).steps[1]
    assert served.message is None and [r.structure.id for r in served.recommendations] == ["dla-29"]
    report = run("coverage", "--kind", "dla", "--by", "department", "-c", str(ANSWERS))
    assert (
        "Aucun DLA départemental dans le catalogue pour 100 département(s)" in report.stderr + report.stdout
    )


def test_the_exported_database_answers_what_find_answers(tmp_path, run):
    import sqlite3

    assert run("export", str(tmp_path), "-c", str(ANSWERS)).exit_code == 0
    database = sqlite3.connect(tmp_path / "essmap.db")
    listed = database.execute(
        """SELECT s.id FROM structures s
           WHERE s.status IN ('active', 'unverified') AND s.national = 0
             AND EXISTS (SELECT 1 FROM places p WHERE p.structure_id = s.id AND p.region = 'bretagne')
             AND EXISTS (SELECT 1 FROM stages t WHERE t.structure_id = s.id AND t.stage = 'creation')
           ORDER BY s.id"""
    ).fetchall()
    found = json.loads(
        run(
            "find",
            "--region",
            "bretagne",
            "--stage",
            "creation",
            "-f",
            "json",
            "--fields",
            "id",
            "-c",
            str(ANSWERS),
        ).stdout
    )
    assert [row[0] for row in listed] == sorted(r["id"] for r in found)
    derived = database.execute(
        "SELECT offer FROM offers WHERE structure_id = 'dla-29' AND derived = 1"
    ).fetchall()
    assert ("diagnostic",) in derived
    assert database.execute("SELECT id FROM search WHERE search MATCH 'chambre'").fetchall()


def test_explain_names_the_field_of_a_plain_word(run, monkeypatch):
    monkeypatch.setenv("ESSMAP_LANG", "fr")  # read as a French user reads it
    result = run("find", "ruche", "--explain", "-f", "json", "--fields", "id", "-c", str(ANSWERS))
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "incubateur-lille" and "nom : ruche" in rows[0]["reasons"]
    assert "compris" not in result.stderr  # nothing but words: nothing understood to report


@pytest.mark.parametrize(("text", "department"), [("incubateur marseile", "13"), ("dla rennnes", "35")])
def test_a_large_town_is_understood_through_a_typo(text, department):
    assert understand(text).departments == {department}


def test_two_words_typed_as_one_and_a_short_name_misspelt_are_found(loaded):
    assert "france-active-bretagne" in ids(query.find(loaded, text="franceactive"))
    assert ids(query.find(loaded, text="cres bretagne"))[0] == "cress-bretagne"


@pytest.mark.parametrize(
    "text", ["l'économie sociale et solidaire", "economie solidaire", "the social and solidarity economy"]
)
def test_the_ess_spelled_out_is_the_ess(loaded, text):
    assert understand(text).words == ["ess"]
    # the two pôles say "ESS" in their names, never "économie"
    assert set(ids(query.find(loaded, text=text))[:2]) == {"pole-quimper", "pole-brest"}


def test_a_name_that_spells_out_the_ess_is_found_by_ess():
    from essmap.index import words_of
    from essmap.model import Structure

    def entry(name: str) -> Structure:
        return Structure(id="x", name=name, kind="autre", stages=(), description="", sources=(), updated="")

    assert words_of(entry("Chambre de l'économie sociale et solidaire"))["ess"] == 0  # the name's field
    assert "ess" not in words_of(entry("Économie circulaire"))


def test_a_regional_agency_that_welcomes_anyone_is_a_door_a_city_label_is_not(loaded):
    from essmap.communes import resolve_commune

    caen = orient.orient(loaded, "creation", resolve_commune("Caen"), ())
    door = [r.structure.id for r in caen.steps[0].recommendations]
    assert door == ["agence-normande"]  # the CRESS closed; the city label placed on the region is no door


@pytest.mark.parametrize(("text", "department"), [("incubateur à Carhaix", "29"), ("on est à Louhans", "71")])
def test_a_town_called_by_the_first_words_of_its_name(text, department):
    assert understand(text).departments == {department}


@pytest.mark.parametrize(
    ("text", "facet"),
    [
        ("un service pour les habitants", "theme"),  # not "habitat"
        ("un grand lieu", "stage"),  # not "grandir"
        ("ma propre société", "offer"),  # not "fonds propres"
        ("une collecte de vêtements", "kind"),  # not "collectif"
        ("bénévole retraité", "theme"),  # a retired volunteer is no business to take over
    ],
)
def test_words_that_only_look_like_lexicon_words_are_taken_as_typed(text, facet):
    assert not understand(text).facet(facet)


def test_a_word_of_the_catalogue_is_no_typo_of_a_lexicon_word():
    assert understand("atelier de couture").facet("theme") == ()  # "couture" is no "culture"
    assert "culture" in understand("projet de cultrue").facet("theme")  # a typo all the same
    assert understand("projet de cultrue", known={"cultrue"}.__contains__).facet("theme") == ()


def test_premises_far_away_are_no_answer_and_what_comes_next_is_near(loaded):
    path = orient.orient(loaded, "creation", places.resolve_department("29"), ("hebergement",), per_step=2)
    premises, following = path.steps[1], path.steps[2]
    assert "coworkings-nationaux" not in [r.structure.id for r in premises.recommendations]
    assert premises.message and "hebergement" not in premises.message  # "nothing near", in words
    upcoming = [r.structure for r in following.recommendations]
    assert upcoming and not any(s.national for s in upcoming)  # the place has enough of its own
    thematic = [s.thematic for s in upcoming]
    assert thematic == sorted(thematic)  # a sector's network after the generalists


def test_a_national_network_with_antennas_comes_before_a_national_by_reach(loaded):
    from essmap.communes import resolve_commune

    toulouse = orient.orient(loaded, "creation", resolve_commune("Toulouse"), ("financement",))
    national = [r.structure.id for r in toulouse.steps[1].recommendations]
    assert national[:2] == ["reseau-actif", "financeur-national"]  # France Active Bretagne is a member


@pytest.mark.parametrize(
    ("text", "departments"),
    [
        ("Mende, notre centre social a six salariés", {"48"}),  # a town before a comma is a name
        ("La Flèche : on monte une asso", {"72"}),
        ("Prêt pour mon asso", set()),
        ("vers Villefranche dans le Beaujolais", {"69"}),  # the Villefranche of the Beaujolais
        ("Saint-Denis, La Réunion", {"974"}),
        ("a bike repair shop around Dunkirk", {"59"}),
        ("in the Basque Country", {"64"}),
        ("maraîchage en Touraine", {"37"}),
        ("une tarte aux fruits, berry et brie", set()),
        ("redonner vie au centre-bourg", set()),  # no Centre region
        ("agent de mairie dans les Monts d'Ardèche : les élus", {"07"}),  # no Monts (37)
    ],
)
def test_towns_areas_and_names_as_people_write_them(text, departments):
    assert understand(text).departments == departments


def test_offices_asked_for_a_place_are_the_places_own_before_a_national_network(loaded):
    # the national coworking network matches "bureaux" better, but has no site in Brest
    assert ids(query.find(loaded, text="des bureaux à Brest"))[:2] == [
        "tiers-lieu-brest",
        "coworkings-nationaux",
    ]
    assert ids(query.find(loaded, text="des bureaux"))[0] == "coworkings-nationaux"  # no place: best match


def test_a_domain_word_in_a_name_weighs_as_a_need_not_as_a_name(loaded):
    # "solidaire" is what every structure of the field is: the welcoming pôle of the town comes
    # before a structure that only has the word in its name
    found = ids(
        query.find(loaded, text="je veux ouvrir une épicerie solidaire, qui peut m'orienter à Brest ?")
    )
    assert found[0] == "pole-brest"


def test_a_name_asked_with_its_place_is_exact(write):
    from conftest import catalogue_text, entry

    path = write(
        catalogue_text(
            entry("incubateur-des-ecossolies", "Incubateur des Ecossolies"),
            entry("les-ecossolies", "Les Ecossolies"),
        )
    )
    loaded = catalogue.load(path, use_cache=False)
    assert ids(query.find(loaded, text="ecossolies rennes"))[0] == "les-ecossolies"
    assert ids(query.find(loaded, text="ecossolies"))[0] == "les-ecossolies"


def test_a_town_a_structure_names_is_its_town(write):
    from conftest import catalogue_text, entry

    carhaix = entry("zeta", "Zeta").replace("Une description.", "Incubateur installé à Carhaix.")
    loaded = catalogue.load(write(catalogue_text(entry("alpha", "Alpha"), carhaix)), use_cache=False)
    # both serve all of Bretagne; the one whose own text names Carhaix is the town's
    assert ids(query.find(loaded, text="incubateur à Carhaix")) == ["zeta", "alpha"]
    assert ids(query.find(loaded, text="incubateur en Bretagne")) == ["alpha", "zeta"]


def test_the_structure_named_for_the_town_comes_first_even_unverified(write):
    from conftest import catalogue_text, entry

    morlaix = entry("adess-morlaix", "ADESS Pays de Morlaix").replace(
        "    updated:", "    status: unverified\n    updated:"
    )
    loaded = catalogue.load(
        write(catalogue_text(entry("adess-brest", "ADESS Pays de Brest"), morlaix)), use_cache=False
    )
    assert ids(query.find(loaded, text="incubateur près de Morlaix"))[0] == "adess-morlaix"
    assert ids(query.find(loaded, text="incubateur en Bretagne"))[0] == "adess-brest"  # active first
