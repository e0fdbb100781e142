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
        """The term's label in the interface's language (French, or its English form)."""
        from essmap.i18n import french

        if french():
            return self.by_id[term_id].label
        return ENGLISH_LABELS.get((self.name, term_id), self.by_id[term_id].label)

    def french(self, term_id: str) -> str:
        """The term's French label, as the catalogue and its search speak."""
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


# The vocabularies' labels for the English interface (the catalogue's own are French).
ENGLISH_LABELS: dict[tuple[str, str], str] = {
    ("stage", "creation"): "Creation",
    ("stage", "consolidation"): "Consolidation",
    ("stage", "changement-echelle"): "Scaling up",
    ("kind", "cress"): "CRESS (regional chamber of the ESS)",
    ("kind", "dla"): "DLA (local support scheme)",
    ("kind", "incubateur"): "Incubator",
    ("kind", "accelerateur"): "Accelerator",
    ("kind", "fabrique-a-initiatives"): "Fabrique à initiatives (venture builder)",
    ("kind", "pole-ess"): "ESS hub / PTCE",
    ("kind", "cae"): "Business and employment cooperative (CAE)",
    ("kind", "couveuse"): "Business incubator for trial runs (couveuse)",
    ("kind", "pepiniere"): "Business nursery",
    ("kind", "tiers-lieu"): "Third place / coworking",
    ("kind", "financeur"): "Funder",
    ("kind", "reseau"): "Network",
    ("kind", "collectif-regional"): "Regional collective",
    ("kind", "plateforme"): "Orientation platform",
    ("kind", "programme"): "Programme",
    ("kind", "agence"): "Agency / resource centre",
    ("kind", "autre"): "Other",
    ("theme", "alimentation"): "Food",
    ("theme", "agriculture"): "Agriculture",
    ("theme", "numerique"): "Digital",
    ("theme", "transition-ecologique"): "Ecological transition",
    ("theme", "economie-circulaire"): "Circular economy",
    ("theme", "insertion"): "Work integration and employment",
    ("theme", "innovation-sociale"): "Social innovation",
    ("theme", "entrepreneuriat-collectif"): "Collective entrepreneurship and cooperatives",
    ("theme", "finance-solidaire"): "Solidarity finance",
    ("theme", "vie-associative"): "Non-profit life",
    ("theme", "ruralite"): "Rural areas",
    ("theme", "quartiers-prioritaires"): "Priority neighbourhoods",
    ("theme", "culture"): "Culture",
    ("theme", "mobilite"): "Mobility",
    ("theme", "habitat"): "Housing",
    ("theme", "sante"): "Health and social care",
    ("theme", "tiers-lieux"): "Third places",
    ("theme", "tourisme"): "Tourism",
    ("theme", "education-jeunesse"): "Education and youth",
    ("theme", "entrepreneuriat-femmes"): "Women's entrepreneurship",
    ("theme", "reprise-transmission"): "Business takeover and transfer",
    ("theme", "cooperation-territoriale"): "Territorial cooperation",
    ("theme", "mesure-impact"): "Impact measurement",
    ("theme", "achats-responsables"): "Responsible purchasing",
    ("theme", "services-a-la-personne"): "Personal services",
    ("theme", "sport"): "Sport",
    ("offer", "accueil-orientation"): "Welcome and orientation",
    ("offer", "sensibilisation"): "Awareness and promotion of the ESS",
    ("offer", "detection-besoins"): "Spotting needs and opportunities",
    ("offer", "ideation"): "Ideation and emergence",
    ("offer", "incubation"): "Incubation",
    ("offer", "acceleration"): "Acceleration",
    ("offer", "test-activite"): "Activity test and umbrella hosting",
    ("offer", "accompagnement-individuel"): "One-to-one support",
    ("offer", "accompagnement-collectif"): "Group support",
    ("offer", "diagnostic"): "Diagnosis",
    ("offer", "formation"): "Training",
    ("offer", "mentorat"): "Mentoring and sponsorship",
    ("offer", "financement"): "Funding",
    ("offer", "garantie"): "Bank guarantee",
    ("offer", "pret-honneur"): "Honour loan",
    ("offer", "investissement"): "Equity investment",
    ("offer", "hebergement"): "Premises and hosting",
    ("offer", "mise-en-reseau"): "Networking",
    ("offer", "conseil-juridique"): "Legal advice",
    ("offer", "appui-rh"): "HR and employment support",
    ("offer", "strategie"): "Strategy and scaling up",
    ("offer", "representation"): "Representation and advocacy",
    ("offer", "observation"): "Observation and studies",
    ("status", "active"): "Active",
    ("status", "unverified"): "Unverified",
    ("status", "merged"): "Merged or renamed",
    ("status", "closed"): "Closed",
}

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
        Term("active", "En activité", ("active", "actif")),
        Term("unverified", "Non vérifiée", ("non vérifiée", "à vérifier")),
        Term("merged", "Fusionnée ou renommée", ("absorbée", "fusionnée", "renommée")),
        Term("closed", "Fermée", ("fermée", "liquidée", "dissoute")),
    ),
)
# What each status means and what a user is offered (docs/catalogue-format.md):
STATUS_RULES = {
    "active": "a page from ACTIVE_SINCE on, or the structure's own site, shows it working; offered first",
    "unverified": "no page from ACTIVE_SINCE on shows it working; shown last, with a warning",
    "merged": "merged into or renamed as `replaced_by` (`status_date`, `status_source`); never offered",
    "closed": "closed (`status_date`, `status_source`); never offered",
}
LISTED_STATUSES = ("active", "unverified")  # what find and orient may offer; the others only on request
ACTIVE_SINCE = 2022  # the oldest year of a page that can show a structure active


def host(url: str) -> str:
    """The host of an address, without `www.`: what tells a structure's own pages."""
    from urllib.parse import urlsplit

    return (urlsplit(url.strip()).hostname or "").removeprefix("www.")


def shows_active(sources, website: str | None) -> bool:
    """True when a page from ACTIVE_SINCE on, or a page of the structure's own website, is among
    its sources (each a (url, date) pair, date possibly None): what `active` needs."""
    own = host(website) if website else None
    for url, date in sources:
        if date and date[:4].isdigit() and int(date[:4]) >= ACTIVE_SINCE:
            return True
        if own and url and host(url) == own:
            return True
    return False


# What each kind of structure does by its nature, whatever its sources say: the offers the
# tool adds to the sourced ones (shown as derived). A thematic structure (`thematic: true`)
# serves one sector and is never derived to welcome and orient anyone.
KIND_OFFERS: dict[str, tuple[str, ...]] = {
    "cress": ("accueil-orientation", "sensibilisation", "mise-en-reseau", "representation", "observation"),
    "dla": ("diagnostic", "accompagnement-individuel", "accompagnement-collectif", "appui-rh"),
    "incubateur": ("incubation", "accompagnement-individuel", "accompagnement-collectif"),
    "accelerateur": ("acceleration", "strategie", "accompagnement-individuel"),
    "fabrique-a-initiatives": ("detection-besoins", "ideation", "accompagnement-individuel"),
    "pole-ess": ("accueil-orientation", "mise-en-reseau", "sensibilisation"),
    "cae": ("test-activite", "accompagnement-individuel", "formation", "mise-en-reseau"),
    "couveuse": ("test-activite", "accompagnement-individuel", "formation"),
    "pepiniere": ("hebergement", "accompagnement-individuel"),
    "tiers-lieu": ("hebergement", "mise-en-reseau"),
    "financeur": ("financement",),
    "reseau": ("mise-en-reseau",),
    "collectif-regional": ("accueil-orientation", "mise-en-reseau"),
    "plateforme": ("accueil-orientation",),
    "programme": (),
    "agence": ("observation",),
    "autre": (),
}
# Offers only a structure that welcomes every project can be derived to give.
GENERALIST_OFFERS = frozenset({"accueil-orientation"})
# Offers given in a place: a national structure provides them only where it has a site, so it
# is no answer for a place its entry does not name (a Paris coworking is no office in Périgueux).
PLACE_BOUND_OFFERS = frozenset({"hebergement"})


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
    siren: str | None = None
    siret: str | None = None
    rna: str | None = None
    carried_by: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    status: str = "active"
    status_date: str | None = None
    status_source: str | None = None
    replaced_by: tuple[str, ...] = ()
    former_ids: tuple[str, ...] = ()
    thematic: bool = False
    caveat: str | None = None
    coverage: frozenset[str] = field(default=frozenset(), compare=False)
    line: int = field(default=0, compare=False)

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_listed(self) -> bool:
        """Offered by find and orient (active first, unverified last); merged and closed are not."""
        return self.status in LISTED_STATUSES

    @property
    def derived_offers(self) -> tuple[str, ...]:
        """The offers its kind implies that its sources do not already state (see KIND_OFFERS)."""
        implied = KIND_OFFERS.get(self.kind, ())
        return tuple(
            o for o in implied if o not in self.offers and not (self.thematic and o in GENERALIST_OFFERS)
        )

    @property
    def all_offers(self) -> tuple[str, ...]:
        """Sourced offers, then derived ones: what the tool matches needs against."""
        return self.offers + self.derived_offers

    @property
    def shows_active(self) -> bool:
        """A page of its sources shows it working (see `shows_active`): what `active` needs."""
        return shows_active(((s.url, s.date) for s in self.sources), self.website)

    @property
    def scope(self) -> str:
        """How widely it works: 'local' (named departments), 'regional' or 'national'."""
        if self.national:
            return "national"
        return "local" if self.departments else "regional"

    @property
    def newest_source_year(self) -> str:
        """The year of the newest dated source ('' when no source shows a date)."""
        return max((s.date[:4] for s in self.sources if s.date), default="")

    @property
    def has_old_sources(self) -> bool:
        """True when every source is dated and all are older than OLD_SOURCE_YEAR."""
        years = [int(s.date[:4]) for s in self.sources if s.date]
        return bool(years) and len(years) == len(self.sources) and max(years) < OLD_SOURCE_YEAR


# The words people use for the vocabularies, in French and English: one table, matched on
# folded words (and a few phrases). Each maps to (facet, value) pairs; facet "word" adds a
# French word to the text search ("enterprise" -> "entreprise").
_LEXICON_ROWS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    # offers
    (
        "financer financement financements financeur argent sous fonds funding fund funds financing "
        "finance money subvention subventions grant grants emprunt emprunter credit",
        (("offer", "financement"),),
    ),
    ("pret prets loan loans microcredit microfinance", (("offer", "financement"), ("offer", "pret-honneur"))),
    ("subsidy subsidies crowdfunding", (("offer", "financement"),)),
    ("pret d honneur honour loan", (("offer", "pret-honneur"),)),
    ("garantie garanties guarantee garantir caution", (("offer", "garantie"),)),
    (
        "investissement investir investisseur investment invest investor investors equity capital",
        (("offer", "investissement"),),
    ),
    ("fonds propres", (("offer", "investissement"),)),
    (
        "local locaux bureau bureaux hebergement heberger domiciliation office offices premises space "
        "workspace",
        (("offer", "hebergement"),),
    ),
    ("coworking", (("offer", "hebergement"), ("kind", "tiers-lieu"))),
    ("incuber incubation incubated", (("offer", "incubation"),)),
    ("incubateur incubateurs incubator incubators", (("kind", "incubateur"), ("offer", "incubation"))),
    (
        "accelerer acceleration accelerateur accelerateurs accelerator accelerators",
        (("kind", "accelerateur"), ("offer", "acceleration")),
    ),
    ("tester test portage trial trials", (("offer", "test-activite"),)),
    ("couveuse couveuses", (("kind", "couveuse"), ("offer", "test-activite"))),
    ("diagnostic diagnostiquer audit diagnosis assessment", (("offer", "diagnostic"),)),
    (
        "accompagnement accompagner accompagne support coaching coach consulting consultancy",
        (("offer", "accompagnement-individuel"),),
    ),
    # advice at the start is what the door gives as much as what a programme does
    (
        "conseil conseils conseiller advice guidance",
        (("offer", "accompagnement-individuel"), ("offer", "accueil-orientation")),
    ),
    ("atelier ateliers workshop workshops", (("offer", "accompagnement-collectif"),)),
    ("formation former formations training train course", (("offer", "formation"),)),
    ("mentor mentorat mentoring parrain parrainage", (("offer", "mentorat"),)),
    ("juridique statuts legal law lawyer", (("offer", "conseil-juridique"),)),
    (
        "employeur employeurs employer employers embaucher recruter recrutement hiring hr rh salarie "
        "salaries",
        (("offer", "appui-rh"),),
    ),
    ("reseau reseaux networking rencontrer", (("offer", "mise-en-reseau"),)),
    ("network networks federation", (("kind", "reseau"), ("offer", "mise-en-reseau"))),
    ("benevolat benevole benevoles volunteering volunteer volunteers", (("word", "benevolat"),)),
    ("skills competences", (("word", "competences"),)),
    (
        "essaimer essaimage dupliquer duplication strategie strategy",
        (("offer", "strategie"), ("stage", "changement-echelle")),
    ),
    ("idee idees ideation emergence idea", (("offer", "ideation"), ("stage", "creation"))),
    ("orienter orientation orient accueil", (("offer", "accueil-orientation"),)),
    # kinds
    ("cae", (("kind", "cae"),)),
    ("cooperative d activite et d emploi", (("kind", "cae"),)),
    ("dla", (("kind", "dla"),)),
    ("dispositif local d accompagnement", (("kind", "dla"),)),
    ("cress chambre", (("kind", "cress"),)),
    ("pole poles ptce hub", (("kind", "pole-ess"),)),
    ("tiers lieu tiers lieux third place", (("kind", "tiers-lieu"), ("word", "tiers lieux"))),
    ("business and employment cooperative", (("kind", "cae"), ("word", "cooperative activite emploi"))),
    ("non profit", (("theme", "vie-associative"),)),
    ("fabrique fabriques", (("kind", "fabrique-a-initiatives"),)),
    ("pepiniere pepinieres nursery", (("kind", "pepiniere"),)),
    ("funder funders financeurs", (("kind", "financeur"),)),
    ("collectif chaine", (("kind", "collectif-regional"),)),
    # themes
    ("scop scops scic coop cooperative cooperatives cooperatif", (("theme", "entrepreneuriat-collectif"),)),
    (
        "agriculture agricole agricoles agricultural farm farms farming farmer farmers paysan paysans maraichage",
        (("theme", "agriculture"),),
    ),
    ("alimentation alimentaire food epicerie restauration cantine cantines", (("theme", "alimentation"),)),
    ("numerique digital tech", (("theme", "numerique"),)),
    (
        "reemploi recyclage recycling circulaire circular dechets waste ressourcerie recyclerie",
        (("theme", "economie-circulaire"),),
    ),
    (
        "ecologie ecologique environnement climat climate green energie energy",
        (("theme", "transition-ecologique"),),
    ),
    ("insertion iae chomage unemployment employment emploi jobs", (("theme", "insertion"),)),
    (
        "culture culturel culturelle artistique art arts musique music spectacle compagnie compagnies troupe",
        (("theme", "culture"),),
    ),
    ("sante health handicap disability medico", (("theme", "sante"),)),
    ("logement habitat housing batiment", (("theme", "habitat"),)),
    ("mobilite transport mobility", (("theme", "mobilite"),)),
    ("tourisme tourism", (("theme", "tourisme"),)),
    ("jeune jeunes jeunesse youth education", (("theme", "education-jeunesse"),)),
    ("femme femmes women woman female", (("theme", "entrepreneuriat-femmes"),)),
    ("quartier quartiers qpv banlieue", (("theme", "quartiers-prioritaires"),)),
    ("rural rurale ruraux campagne village", (("theme", "ruralite"),)),
    ("reprise reprendre transmission takeover", (("theme", "reprise-transmission"),)),
    (
        "sport sports sportif sportive foot football handball hand basket basketball rugby volley judo tennis",
        (("theme", "sport"),),
    ),
    (
        "association associations associatif associative asso nonprofit nonprofits charity ngo",
        (("theme", "vie-associative"),),
    ),
    ("impact", (("theme", "mesure-impact"), ("theme", "innovation-sociale"))),
    # stages
    (
        "creer creation creee lancer lancement demarrer monter start starting launch launching startup",
        (("stage", "creation"),),
    ),
    ("consolider consolidation developper developpement grow growth", (("stage", "consolidation"),)),
    ("scale scaling grandir changement d echelle", (("stage", "changement-echelle"),)),
    # English words searched as their French form
    ("enterprise enterprises business company", (("word", "entreprise"),)),
    ("social", (("word", "sociale"),)),
    ("solidarity", (("word", "solidaire"),)),
    ("economy", (("word", "economie"),)),
    ("innovation", (("word", "innovation"),)),
    ("entrepreneur entrepreneurs entrepreneurship", (("word", "entrepreneuriat"),)),
    ("regional", (("word", "regionale"),)),
    ("chamber", (("kind", "cress"),)),
    ("microloan microloans", (("offer", "financement"), ("word", "microcredit"))),
    ("jobseeker jobseekers unemployed", (("word", "demandeurs emploi"),)),
    ("bylaws statutes", (("offer", "conseil-juridique"), ("word", "statuts"))),
    ("refugee refugees migrant migrants", (("word", "refugies"),)),
    ("donation donations donor donors", (("word", "dons"),)),
    ("membership", (("word", "adhesion"),)),
    ("ethical", (("word", "ethique"),)),
    ("bank banks banking", (("word", "banque"),)),
    ("lending lender", (("offer", "financement"), ("word", "pret"))),
    ("organic", (("word", "bio"),)),
    ("integration", (("theme", "insertion"),)),
    ("worker", (("theme", "entrepreneuriat-collectif"), ("word", "scop"))),
    ("partner partners partnership partnerships", (("offer", "mise-en-reseau"), ("word", "partenaires"))),
    ("companies", (("word", "entreprises"),)),
    ("organisation organisations organization organizations", (("word", "structures"),)),
    ("programme program programs programmes", (("kind", "programme"),)),
    ("theatre theater", (("theme", "culture"), ("word", "theatre"))),
    ("tool tools platform", (("kind", "plateforme"),)),
    # needs in a person's own words, French and English (the words people use, not the catalogue's)
    (
        "louer location loyer loyers rent renting lease desk desks salle salles",
        (("offer", "hebergement"),),
    ),
    (
        "tresorerie mecenat mecene don dons philanthropie fundraising donateur cagnotte",
        (("offer", "financement"),),
    ),
    ("seed amorcage angel angels levee", (("offer", "investissement"),)),
    ("scaleup scaleups", (("stage", "changement-echelle"), ("offer", "acceleration"))),
    ("fablab fablabs makerspace makerspaces", (("kind", "tiers-lieu"),)),
    (
        "freelance freelancer freelancers independant independants autoentrepreneur autoentrepreneuse "
        "microentrepreneur microentrepreneuse salariat",
        (("kind", "cae"),),
    ),
    ("embauche embauches hire recruit recruiting staff", (("offer", "appui-rh"),)),
    ("gouvernance governance", (("offer", "accompagnement-individuel"),)),
    (
        "mutualiser mutualisation cooperer cooperation",
        (("offer", "mise-en-reseau"), ("theme", "cooperation-territoriale")),
    ),
    (
        "difficulte difficultes soucis fragilise crise galere galeres probleme problemes reorganiser "
        "reorganisation restructurer struggling trouble",
        (("offer", "diagnostic"), ("stage", "consolidation")),
    ),
    ("deux bouts faire le point", (("offer", "diagnostic"),)),
    ("dans le rouge", (("offer", "diagnostic"), ("offer", "financement"), ("stage", "consolidation"))),
    ("surendette exclus rsa minima", (("word", "microcredit"),)),
    ("honor", (("offer", "pret-honneur"),)),
    ("marches publics marche public tender tenders procurement", (("theme", "achats-responsables"),)),
    (
        "handicape handicapes disabled disability disabilities handicapped",
        (("theme", "sante"), ("word", "handicap")),
    ),
    ("eleveur eleveurs agriculteur agriculteurs producteur producteurs", (("theme", "agriculture"),)),
    ("modele economique business model", (("offer", "diagnostic"), ("offer", "strategie"))),
    ("premier salarie first employee", (("offer", "appui-rh"),)),
    ("financement participatif", (("offer", "financement"),)),
    ("quasi fonds propres titres participatifs", (("offer", "investissement"),)),
    ("honor loan", (("offer", "pret-honneur"),)),
    ("interest free loan", (("offer", "pret-honneur"),)),
    ("business plan", (("offer", "accompagnement-individuel"),)),
    ("social enterprise", (("word", "entreprise sociale"),)),
    ("essayer essai essais", (("offer", "test-activite"),)),
    ("maraicher maraichers maraichere legumes potager", (("theme", "agriculture"),)),
    ("racheter rachat cedant cession", (("theme", "reprise-transmission"),)),
    ("part a la retraite", (("theme", "reprise-transmission"),)),
    ("isoles isolees isole isolee", (("offer", "mise-en-reseau"),)),
    ("recupere recuperes recuperation recup", (("theme", "economie-circulaire"),)),
    ("apport", (("offer", "financement"), ("offer", "pret-honneur"))),
    ("auto entrepreneur", (("kind", "cae"),)),
    ("a mon compte", (("kind", "cae"), ("offer", "test-activite"))),
    ("pret sans interet", (("offer", "pret-honneur"),)),
    ("personnes agees", (("theme", "services-a-la-personne"),)),
    ("par ou commencer", (("offer", "accueil-orientation"),)),
    ("economie sociale et solidaire", (("word", "ess"),)),
    ("au depart", (("stage", "creation"),)),
    ("en premier", ()),  # "à qui m'adresser en premier": no "Premières", no "Première Brique"
    ("y voir clair", (("offer", "diagnostic"), ("stage", "consolidation"))),
    ("pret refuse", (("offer", "financement"), ("word", "microcredit"))),
    ("paperasse", (("kind", "cae"), ("offer", "test-activite"))),
    ("work for myself", (("kind", "cae"), ("offer", "test-activite"))),
    ("permanence", (("offer", "accueil-orientation"),)),
    ("coup de pouce", (("offer", "financement"),)),
    ("guider guide", (("offer", "accueil-orientation"), ("offer", "accompagnement-individuel"))),
    (
        "advise advising adviser advisor",
        (("offer", "accompagnement-individuel"), ("offer", "accueil-orientation")),
    ),
    ("try trying tried", (("offer", "test-activite"),)),
    ("cdi salaires", (("offer", "appui-rh"),)),
    ("treso sponsor sponsors sponsoring bourse bourses dotation aides", (("offer", "financement"),)),
    ("facturer facturation", (("kind", "cae"), ("offer", "test-activite"))),
    ("garant garants", (("offer", "garantie"),)),
    ("atelier partage", (("offer", "hebergement"), ("kind", "tiers-lieu"))),
    ("entrepot hangar stockage", (("offer", "hebergement"),)),
    ("regard exterieur", (("offer", "diagnostic"),)),
    ("avocat avocats juriste juristes", (("offer", "conseil-juridique"),)),
    ("licencier licenciement licenciements", (("offer", "diagnostic"), ("offer", "appui-rh"))),
    ("partenaire partenaires partenariat partenariats", (("offer", "mise-en-reseau"),)),
    ("apprendre", (("offer", "formation"),)),
    ("deuxieme site", (("offer", "strategie"), ("stage", "changement-echelle"))),
    ("actionnaire actionnaires associes", (("offer", "investissement"),)),
    ("se renseigner", (("offer", "accueil-orientation"),)),
    ("epargne savings citoyens citizens", (("offer", "investissement"), ("theme", "finance-solidaire"))),
    # what people say of the bank that said no, of trying without a company, of needs spotted
    ("banque banques banquier bancaire", (("offer", "financement"), ("theme", "finance-solidaire"))),
    ("petit credit", (("offer", "financement"), ("word", "microcredit"))),
    ("immatriculer immatriculation", (("offer", "test-activite"),)),
    ("sans creer", (("offer", "test-activite"), ("kind", "cae"))),
    ("emerger", (("offer", "ideation"), ("offer", "detection-besoins"))),
    ("besoins du territoire", (("offer", "detection-besoins"), ("kind", "fabrique-a-initiatives"))),
)


# Words that share a stem with a word of the lexicon, or look like a typo of one, but mean
# something else: taken as typed ("habitants" is not "habitat", "un grand lieu" not "grandir").
LEXICON_AS_TYPED = frozenset(
    """habitant habitants grand grande grands grandes propre propres collecte
    partage partager partages couture""".split()
)

# Rows of _LEXICON_ROWS that are phrases, with the word sequences that name them.
_PHRASE_SPELLINGS = {
    "pret d honneur honour loan": ("pret d honneur", "honour loan", "prets d honneur"),
    "cooperative d activite et d emploi": ("cooperative d activite et d emploi", "cooperative d activite"),
    "dispositif local d accompagnement": ("dispositif local d accompagnement",),
    "tiers lieu tiers lieux third place": ("tiers lieu", "tiers lieux", "third place", "third places"),
    "business and employment cooperative": (
        "business and employment cooperative",
        "activity and employment cooperative",
        "business and employment cooperatives",
    ),
    "non profit": ("non profit", "non profits", "not for profit"),
    "changement d echelle": ("changement d echelle", "changer d echelle"),
    "marches publics marche public tender tenders procurement": (
        "marches publics",
        "marche public",
        "public procurement",
        "public tender",
        "public tenders",
    ),
    "modele economique business model": ("modele economique", "business model", "modeles economiques"),
    "premier salarie first employee": (
        "premier salarie",
        "premiere salariee",
        "first employee",
        "first hire",
    ),
    "financement participatif": ("financement participatif",),
    "fonds propres": ("fonds propres",),
    "quasi fonds propres titres participatifs": ("quasi fonds propres", "titres participatifs"),
    "honor loan": ("honor loan", "honor loans", "honour loans"),
    "interest free loan": (
        "interest free loan",
        "interest free loans",
        "zero interest loan",
        "pret a taux zero",
    ),
    "business plan": ("business plan", "plan d affaires", "previsionnel"),
    "social enterprise": ("social enterprise", "social enterprises", "social business"),
    "auto entrepreneur": (
        "auto entrepreneur",
        "auto entrepreneurs",
        "auto entrepreneuse",
        "auto entrepreneuses",
        "micro entrepreneur",
        "micro entrepreneuse",
        "micro entreprise",
    ),
    "a mon compte": ("a mon compte", "a son compte", "a leur compte"),
    "pret sans interet": ("pret sans interet", "prets sans interet", "pret a taux zero"),
    "personnes agees": ("personnes agees", "personne agee"),
    "deux bouts faire le point": ("joindre les deux bouts", "faire le point", "taking stock"),
    "economie sociale et solidaire": (
        "economie sociale et solidaire",
        "economie sociale solidaire",
        "economie solidaire",
        "economie sociale",
        "social and solidarity economy",
        "social solidarity economy",
        "solidarity economy",
        "social economy",
    ),
    "petit credit": ("petit credit", "petits credits", "micro credit", "micro credits"),
    "sans creer": (
        "sans creer",
        "sans ouvrir",
        "sans monter",
        "sans declarer",
        "avant de creer",
        "avant de declarer",
        "rester salarie",
        "rester salariee",
        "restant salarie",
        "restant salariee",
        "en etant salarie",
        "en etant salariee",
        "entrepreneur salarie",
        "entrepreneure salariee",
        "without setting up",
        "without registering",
        "stay employed",
        "staying employed",
    ),
    "besoins du territoire": (
        "besoins du territoire",
        "besoins non couverts",
        "besoins non satisfaits",
        "repere des besoins",
        "reperer des besoins",
        "unmet needs",
        "local needs",
    ),
    "dans le rouge": (
        "dans le rouge",
        "remonter la pente",
        "deficit",
        "en deficit",
        "perd de l argent",
        "perdons de l argent",
        "perte",
        "pertes",
        "in the red",
        "losing money",
    ),
    "au depart": ("au depart", "pour demarrer", "pour commencer", "to get started"),
    "en premier": ("en premier", "d abord", "tout d abord", "en premier lieu"),
    "part a la retraite": (
        "part a la retraite",
        "part en retraite",
        "partir a la retraite",
        "depart a la retraite",
        "depart en retraite",
        "prend sa retraite",
        "retiring",
        "retires",
    ),
    "y voir clair": (
        "y voir clair",
        "voir plus clair",
        "s en sortir",
        "repenser notre fonctionnement",
        "revoir notre fonctionnement",
        "perd des financements",
        "perdons des financements",
        "subventions baissent",
        "baisse des subventions",
        "fin des contrats aides",
    ),
    "pret refuse": (
        "pret refuse",
        "credit refuse",
        "banque refuse",
        "banques refusent",
        "banque a dit non",
        "banques rigolent",
        "loan refused",
        "bank said no",
        "banks said no",
        "turned down by the bank",
    ),
    "paperasse": ("paperasse", "paperwork"),
    "work for myself": (
        "work for myself",
        "my own boss",
        "self employed",
        "self employment",
        "mon propre patron",
        "ma propre patronne",
        "me mettre a mon compte",
    ),
    "permanence": ("permanence", "permanences", "walk in", "drop in"),
    "coup de pouce": ("coup de pouce", "un petit coup de pouce"),
    "atelier partage": ("atelier partage", "ateliers partages", "shared workshop"),
    "regard exterieur": ("regard exterieur", "avis exterieur", "outside view", "fresh eyes"),
    "deuxieme site": (
        "deuxieme site",
        "second site",
        "nouveau site",
        "autres villes",
        "d autres villes",
        "s implanter",
        "other cities",
        "new sites",
    ),
    "se renseigner": (
        "se renseigner",
        "me renseigner",
        "nous renseigner",
        "qui contacter",
        "premier rendez vous",
    ),
    "par ou commencer": ("par ou commencer", "a qui m adresser", "a qui je dois m adresser", "ou m adresser"),
}


def _lexicon() -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, tuple[tuple[str, str], ...]]]:
    """(single words, phrases of several words), each to its (facet, value) pairs."""
    words: dict[str, tuple[tuple[str, str], ...]] = {}
    phrases: dict[str, tuple[tuple[str, str], ...]] = {}
    for spellings, meaning in _LEXICON_ROWS:
        if spellings in _PHRASE_SPELLINGS:
            for phrase in _PHRASE_SPELLINGS[spellings]:
                phrases[phrase] = meaning
            continue
        for word in spellings.split():
            words[word] = tuple(dict.fromkeys(words.get(word, ()) + meaning))
    return words, phrases


LEXICON_WORDS, LEXICON_PHRASES = _lexicon()
