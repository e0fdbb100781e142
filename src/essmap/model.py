"""The catalogue's model: frozen dataclasses and the fixed vocabularies.

Every vocabulary is defined here once; the JSON Schema, the validator, the CLI's
option values and the docs are derived from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from essmap.errors import UnknownValue
from essmap.text import fold


@dataclass(frozen=True, slots=True)
class Term:
    """One value of a vocabulary: a stable id, a French label, other accepted spellings."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()


class Vocabulary:
    """A fixed list of terms, resolved from anything a person may type."""

    def __init__(self, name: str, terms: tuple[Term, ...]):
        self.name = name
        self.terms = terms
        self.by_id = {t.id: t for t in terms}
        self._lookup: dict[str, str] = {}
        for term in terms:
            for spelling in (term.id, term.label, *term.aliases):
                self._lookup.setdefault(fold(spelling), term.id)

    def __iter__(self):
        return iter(self.terms)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.by_id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.by_id)

    def label(self, term_id: str) -> str:
        return self.by_id[term_id].label

    def find(self, text: str) -> str | None:
        """The id that `text` names, or None."""
        return self._lookup.get(fold(text))

    def resolve_all(self, texts) -> tuple[str, ...]:
        """The ids that `texts` name, each once, in order; UnknownValue on the first bad one."""
        return tuple(dict.fromkeys(self.resolve(text) for text in texts))

    def resolve(self, text: str) -> str:
        """The id that `text` names; UnknownValue with suggestions otherwise."""
        term_id = self.find(text)
        if term_id is None:
            raise UnknownValue(self.name, text, self.ids, self._lookup)
        return term_id


STAGES = Vocabulary(
    "stage",
    (
        Term("creation", "Création", ("emergence", "émergence", "amorcage", "idéation", "incubation")),
        Term("consolidation", "Consolidation", ("developpement", "développement")),
        Term(
            "changement-echelle",
            "Changement d'échelle",
            ("changement echelle", "scaling", "essaimage", "changement-d-echelle"),
        ),
    ),
)

KINDS = Vocabulary(
    "kind",
    (
        Term("cress", "CRESS", ("chambre régionale de l'ESS", "chambre regionale")),
        Term("dla", "Dispositif local d'accompagnement", ("DLA",)),
        Term("incubateur", "Incubateur", ("incubator",)),
        Term("accelerateur", "Accélérateur", ("accelerator",)),
        Term("fabrique-a-initiatives", "Fabrique à initiatives", ("fabrique", "générateur de projets")),
        Term("pole-ess", "Pôle ESS / PTCE", ("pole", "pôle ESS", "PTCE")),
        Term("cae", "Coopérative d'activité et d'emploi", ("CAE",)),
        Term("couveuse", "Couveuse"),
        Term("pepiniere", "Pépinière"),
        Term("tiers-lieu", "Tiers-lieu / coworking", ("coworking", "tiers lieux", "tiers-lieux")),
        Term("financeur", "Financeur", ("finance solidaire", "fonds")),
        Term("reseau", "Réseau", ("network",)),
        Term("collectif-regional", "Collectif régional", ("chaîne de l'accompagnement", "collectif")),
        Term("plateforme", "Plateforme d'orientation", ("plateforme", "annuaire")),
        Term("programme", "Programme", ("appel à projets",)),
        Term("agence", "Agence / centre de ressources", ("agence", "centre de ressources")),
        Term("autre", "Autre"),
    ),
)

THEMES = Vocabulary(
    "theme",
    (
        Term("alimentation", "Alimentation", ("circuits courts", "alimentation durable")),
        Term("agriculture", "Agriculture", ("installation agricole", "espace-test agricole")),
        Term("numerique", "Numérique", ("inclusion numérique", "transition numérique")),
        Term("transition-ecologique", "Transition écologique", ("environnement", "écologie", "énergie")),
        Term("economie-circulaire", "Économie circulaire", ("réemploi", "déchets", "recyclage")),
        Term("insertion", "Insertion et emploi", ("IAE", "emploi", "insertion par l'activité économique")),
        Term("innovation-sociale", "Innovation sociale", ("entrepreneuriat social",)),
        Term(
            "entrepreneuriat-collectif",
            "Entrepreneuriat collectif et coopératives",
            ("Scop", "Scic", "coopératives"),
        ),
        Term(
            "finance-solidaire",
            "Finance solidaire",
            ("fonds propres", "investissement", "microcrédit", "garantie"),
        ),
        Term("vie-associative", "Vie associative", ("associations", "emploi associatif")),
        Term("ruralite", "Ruralité", ("rural", "territoires ruraux")),
        Term("quartiers-prioritaires", "Quartiers prioritaires", ("QPV", "politique de la ville")),
        Term("culture", "Culture", ("arts", "industries créatives")),
        Term("mobilite", "Mobilité"),
        Term("habitat", "Habitat et logement", ("logement", "bâtiment", "écoconstruction")),
        Term("sante", "Santé et médico-social", ("santé", "médico-social", "handicap", "bien vieillir")),
        Term("tiers-lieux", "Tiers-lieux", ("tiers lieux", "coworking")),
        Term("tourisme", "Tourisme"),
        Term("education-jeunesse", "Éducation et jeunesse", ("éducation", "jeunesse", "éducation populaire")),
        Term("entrepreneuriat-femmes", "Entrepreneuriat des femmes", ("femmes", "entrepreneuriat féminin")),
        Term(
            "reprise-transmission",
            "Reprise et transmission",
            ("reprise", "transmission", "reprise par les salariés"),
        ),
        Term("cooperation-territoriale", "Coopération territoriale", ("développement local", "PTCE")),
        Term("mesure-impact", "Mesure d'impact", ("impact",)),
        Term("achats-responsables", "Achats responsables", ("commande publique", "RSE")),
        Term("services-a-la-personne", "Services à la personne", ("aide à domicile",)),
        Term("sport", "Sport"),
    ),
)

# Kinds in the order a person meets them: heads of network, local hubs and propulsors,
# then testing, hosting, scaling, financing, networks and programmes.
KINDS_AS_MET = (
    "cress",
    "collectif-regional",
    "pole-ess",
    "fabrique-a-initiatives",
    "incubateur",
    "couveuse",
    "cae",
    "pepiniere",
    "tiers-lieu",
    "accelerateur",
    "dla",
    "financeur",
    "reseau",
    "plateforme",
    "agence",
    "programme",
    "autre",
)

OFFERS = Vocabulary(
    "offer",
    (
        Term("accueil-orientation", "Accueil et orientation", ("orientation", "accueil")),
        Term("sensibilisation", "Sensibilisation et promotion de l'ESS", ("promotion",)),
        Term(
            "detection-besoins",
            "Détection de besoins et d'opportunités",
            ("etude d'opportunite", "révélateur"),
        ),
        Term("ideation", "Idéation et émergence", ("emergence", "émergence", "idéateur")),
        Term("incubation", "Incubation", ("incubateur",)),
        Term("acceleration", "Accélération", ("accelerateur",)),
        Term("test-activite", "Test d'activité et portage", ("couveuse", "portage", "test")),
        Term("accompagnement-individuel", "Accompagnement individuel", ("accompagnement", "conseil")),
        Term("accompagnement-collectif", "Accompagnement collectif", ("ateliers",)),
        Term("diagnostic", "Diagnostic"),
        Term("formation", "Formation"),
        Term("mentorat", "Mentorat et parrainage", ("parrainage", "mentor")),
        Term("financement", "Financement", ("subvention", "prêt", "pret")),
        Term("garantie", "Garantie bancaire", ("garantie",)),
        Term("pret-honneur", "Prêt d'honneur", ("pret d'honneur",)),
        Term("investissement", "Investissement en fonds propres", ("fonds propres", "capital")),
        Term("hebergement", "Hébergement et locaux", ("hébergement", "locaux", "bureaux", "coworking")),
        Term("mise-en-reseau", "Mise en réseau", ("réseau", "networking")),
        Term("conseil-juridique", "Conseil juridique", ("juridique", "statuts")),
        Term("appui-rh", "Appui RH et emploi", ("RH", "ressources humaines")),
        Term("strategie", "Stratégie et changement d'échelle", ("essaimage", "duplication", "stratégie")),
        Term("representation", "Représentation et plaidoyer", ("plaidoyer",)),
        Term("observation", "Observation et études", ("observatoire", "études")),
    ),
)

STATUSES = Vocabulary(
    "status",
    (
        Term("active", "En activité"),
        Term("closed", "Fermée", ("fermée", "liquidée", "dissoute")),
        Term("merged", "Fusionnée ou absorbée", ("absorbée", "fusionnée")),
    ),
)


OLD_SOURCE_YEAR = 2020
SCOPES = ("local", "regional", "national")  # the closest first


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Structure:
    """One support structure of the catalogue."""

    id: str
    name: str
    kind: str
    stages: tuple[str, ...]
    description: str
    sources: tuple[Source, ...]
    updated: str
    aliases: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    national: bool = False
    regions: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    city: str | None = None
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    carried_by: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    status: str = "active"
    replaced_by: tuple[str, ...] = ()
    caveat: str | None = None
    coverage: frozenset[str] = field(default=frozenset(), compare=False)
    line: int = field(default=0, compare=False)

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def scope(self) -> str:
        """How widely it works: 'local' (named departments), 'regional' or 'national'."""
        if self.national:
            return "national"
        return "local" if self.departments else "regional"

    @property
    def has_old_sources(self) -> bool:
        """True when every source is dated and all are older than OLD_SOURCE_YEAR."""
        years = [int(s.date[:4]) for s in self.sources if s.date]
        return bool(years) and len(years) == len(self.sources) and max(years) < OLD_SOURCE_YEAR
