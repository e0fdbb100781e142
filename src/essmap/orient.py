"""Orientation: from a person's stage, place and needs to an ordered path of doors, with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field

from essmap import explain, geo
from essmap.catalogue import Catalogue
from essmap.geo import Place
from essmap.i18n import _
from essmap.index import positions
from essmap.model import KIND_OFFERS, KINDS_AS_MET, OFFERS, PLACE_BOUND_OFFERS, STAGES, STATUSES, Structure
from essmap.text import fold

PER_STEP = 5


@dataclass(frozen=True, slots=True)
class Recommendation:
    structure: Structure
    scope: str
    reasons: tuple[str, ...]


@dataclass(slots=True)
class Step:
    """One stage of the path: the door, a need, or what comes next."""

    kind: str  # door, need, next
    title: str
    recommendations: list[Recommendation]
    need: str | None = None
    message: str | None = None
    alternatives: list[Recommendation] = field(default_factory=list)


@dataclass(slots=True)
class Orientation:
    stage: str
    place: Place
    needs: tuple[str, ...]
    steps: list[Step]


class _Context:
    """What every step needs: the catalogue, the place, and the place's regional collectives."""

    def __init__(self, catalogue: Catalogue, place: Place):
        self.catalogue = catalogue
        self.place = place
        index = catalogue.index
        self.active = index.bits("listed", ("true",))
        self.national = index.bits("national", ("true",))
        self.here = index.bits("department", place.departments) & ~self.national
        self.collectives = explain.collectives(catalogue, place.departments)
        self.city = fold(place.label.split(",")[0]) if place.kind == "commune" else None

    def recommend(self, structure: Structure, *reasons: str) -> Recommendation:
        where = explain.where(structure, self.place.departments)
        extra = explain.membership(structure, self.collectives)
        notes = (
            ()
            if structure.is_active
            else (_("to check: {status}").format(status=STATUSES.label(structure.status).lower()),)
        )
        return Recommendation(structure, structure.scope, (*reasons, where, *extra, *notes))

    def closeness(self, structure: Structure) -> int:
        """0 in the person's commune, 1 in a department it names, 2 regional, 3 national."""
        if structure.national:
            return 3
        if self.city and structure.city and fold(structure.city) == self.city:
            return 0
        return 1 if set(structure.departments) & self.place.departments else 2

    def ranked(self, bits: int, need: str | None = None) -> list[Structure]:
        """Active before unverified, nearest first, a need its sources state before one its kind
        implies, reachable (a website) first, then in the order a person meets them."""
        found = [self.catalogue.at(p) for p in positions(bits)]
        return sorted(
            found,
            key=lambda s: (
                not s.is_active,
                self.closeness(s),
                need is not None and need not in s.offers,
                not s.website,
                KINDS_AS_MET.index(s.kind),
                s.name.casefold(),
            ),
        )


DOOR_KINDS = {
    "pole-ess": "the area's ESS hub: welcomes and orients any project",
    "collectif-regional": "the regional support collective: orients from one structure to the next",
    "cress": "the region's CRESS: head of the ESS network, welcomes and orients",
}
DOORS = 3
REGIONAL_DOORS = ("cress", "collectif-regional")  # a door for a whole region by its kind


def _door(context: _Context, stage: str) -> Step:
    """Who welcomes and orients anyone here: the generalist local pôle covering the commune (else
    the department's), the regional collective, the CRESS, or a regional agency whose sources
    say it welcomes and orients (ADRESS in Normandie). Never a thematic cluster, never a pôle
    placed on a whole region, never a label of another city."""
    index = context.catalogue.index
    welcoming = context.active & context.here & index.bits("offer", ("accueil-orientation",))

    def own(structure: Structure) -> bool:  # its sources say it welcomes and orients
        return "accueil-orientation" in structure.offers

    found = [
        s
        for s in context.ranked(welcoming)
        if not s.thematic and (s.departments or s.kind in REGIONAL_DOORS or s.kind != "pole-ess" and own(s))
    ]
    order = ("pole-ess", "collectif-regional", "cress")
    # among equals, the one its peers name as their network (a chain with members) first
    members = {s.id: len(index.referring("member_of", s.id)) for s in found}
    found.sort(key=lambda s: (not s.is_active, context.closeness(s), -members[s.id]))
    first = {kind: [s for s in found if s.kind == kind][:1] for kind in order}
    chosen = [s for kind in order for s in first[kind]]
    chosen += [s for s in found if s not in chosen][: max(0, DOORS - len(chosen))]
    chosen.sort(key=lambda s: (not s.is_active, order.index(s.kind) if s.kind in order else 1))
    picks = [
        context.recommend(s, _(DOOR_KINDS.get(s.kind, "welcomes and orients projects")))
        for s in chosen[:DOORS]
    ]
    step = Step("door", _("Way in"), picks)
    closed = context.here & index.bits("kind", ("cress",)) & ~context.active
    for position in positions(closed):
        cress = context.catalogue.at(position)
        step.message = (
            _("{name}: {status}; {caveat}")
            .format(name=cress.name, status=STATUSES.label(cress.status).lower(), caveat=cress.caveat or "")
            .strip(" ;")
        )
    if not picks:
        step.message = (step.message + " " if step.message else "") + _(
            "No structure that welcomes and orients projects for this place in the catalogue."
        )
    return step


def _offering(context: _Context, stage: str, need: str, where: int) -> int:
    index = context.catalogue.index
    return context.active & where & index.bits("stage", (stage,)) & index.bits("offer", (need,))


def _national_for(context: _Context, stage: str, need: str) -> list[Structure]:
    """National structures that state this offer themselves (not only by their kind), unless it
    is given in a place (PLACE_BOUND_OFFERS)."""
    if need in PLACE_BOUND_OFFERS:
        return []
    found = [s for s in context.ranked(_offering(context, stage, need, context.national)) if need in s.offers]
    # a national network with antennas everywhere (France Active, Initiative France) before a
    # structure that is national by its reach alone: the more entries name it as their network
    # or their carrier, the more places it serves
    index = context.catalogue.index
    antennas = {
        s.id: len(index.referring("member_of", s.id)) + len(index.referring("carried_by", s.id))
        for s in found
    }
    return sorted(found, key=lambda s: (not s.is_active, -antennas[s.id]))


def _need(context: _Context, stage: str, need: str, per_step: int) -> Step:
    label = OFFERS.label(need)
    reasons = (
        _("stage: {labels}").format(labels=STAGES.label(stage)),
        _("offers: {label}").format(label=label),
    )
    found = context.ranked(_offering(context, stage, need, context.here), need)
    if len(found) < per_step:
        found += _national_for(context, stage, need)[: per_step - len(found)]
    step = Step(
        "need",
        _("Need: {label}").format(label=label),
        [context.recommend(s, *reasons) for s in found[:per_step]],
        need=need,
    )
    hint = None
    if need in KIND_OFFERS["dla"] and stage == "consolidation" and not any(s.kind == "dla" for s in found):
        from essmap.coverage import DLA_PROGRAMME, dla_hint

        hint = dla_hint(context.catalogue, context.place.departments)
        programme = context.catalogue.get(DLA_PROGRAMME)
        if hint and programme is not None and programme.is_listed:
            step.message = hint
            step.recommendations.append(
                context.recommend(programme, _("national programme: finds each department's DLA"))
            )
    if any(not s.national for s in found):
        return step
    step.message = (f"{step.message} " if hint else "") + _(
        "Nothing near: no structure of the catalogue offers “{label}” at the {stage} stage for {place}."
    ).format(label=label, stage=STAGES.label(stage).lower(), place=context.place.label)
    index = context.catalogue.index
    other_stages = context.active & context.here & index.bits("offer", (need,))
    for structure in context.ranked(other_stages)[:per_step]:
        stages = ", ".join(STAGES.label(s) for s in structure.stages)
        step.alternatives.append(
            context.recommend(
                structure,
                _("offers: {label}").format(label=label),
                _("at another stage ({stages})").format(stages=stages),
            )
        )
    nearby = {
        n for d in context.place.departments for n in geo.nearby_departments(d)
    } - context.place.departments
    if nearby:
        around = _offering(context, stage, need, index.bits("department", nearby) & ~context.national)
        for structure in context.ranked(around)[:per_step]:
            near = sorted(structure.coverage & nearby)
            step.alternatives.append(
                Recommendation(
                    structure,
                    "nearby",
                    (
                        *reasons,
                        _("nearby department: {places}").format(
                            places=", ".join(geo.department_label(d) for d in near[:3])
                        ),
                    ),
                )
            )
    if not step.alternatives:
        elsewhere = sorted(
            context.ranked(context.active & ~context.national & index.bits("offer", (need,))),
            key=lambda s: geo.distance_km(context.place.departments, s.coverage),
        )
        for structure in elsewhere[:per_step]:
            regions = ", ".join(geo.region_name(r) for r in structure.regions)
            step.alternatives.append(
                Recommendation(
                    structure,
                    "elsewhere",
                    (
                        _("offers: {label}").format(label=label),
                        _("elsewhere: {regions}").format(regions=regions),
                    ),
                )
            )
        if not elsewhere:
            step.message += " " + _("No other structure of the catalogue offers it.")
    return step


def _next(context: _Context, stage: str, needs: tuple[str, ...], per_step: int) -> Step | None:
    order = STAGES.ids
    if order.index(stage) + 1 >= len(order):
        return None
    following = order[order.index(stage) + 1]
    index = context.catalogue.index
    # the structures of the place first; a national one only where the place has too few
    bits = context.active & index.bits("stage", (following,))
    found = context.ranked(bits & context.here)
    if needs:
        found.sort(key=lambda s: (not set(needs) & set(s.all_offers), not s.is_active, context.closeness(s)))
    found.sort(key=lambda s: s.thematic)  # a sector's network serves that sector only: after the others
    if len(found) < per_step:
        found += context.ranked(bits & context.national)[: per_step - len(found)]
    picks = [
        context.recommend(s, _("next stage: {stage}").format(stage=STAGES.label(following)))
        for s in found[:per_step]
    ]
    return Step("next", _("Next: {stage}").format(stage=STAGES.label(following)), picks)


def orient(
    catalogue: Catalogue, stage: str, place: Place, needs: tuple[str, ...] = (), per_step: int = PER_STEP
) -> Orientation:
    """The ordered path: the door for this place, each need in turn, then the next stage."""
    context = _Context(catalogue, place)
    steps = [_door(context, stage)]
    steps += [_need(context, stage, need, per_step) for need in needs]
    following = _next(context, stage, needs, per_step)
    if following is not None:
        steps.append(following)
    return Orientation(stage, place, needs, steps)


def request(
    stage: str | None, region: str | None, department: str | None, commune: str | None, needs=()
) -> tuple[str, Place, tuple[str, ...]]:
    """The stage, the place and the needs of a request, resolved as a person typed them;
    UsageError saying what is missing or wrong."""
    from essmap import places
    from essmap.errors import UsageError

    given = [p for p in (region, department, commune) if p]
    missing = [name for name, ok in (("--stage", stage), (_("a place"), given)) if not ok]
    if missing or stage is None:
        raise UsageError(
            _(
                "orient needs {missing} (a place is --region, --department or --commune); "
                "on a terminal, run `essmap orient` without options to be asked"
            ).format(missing=_(" and ").join(missing))
        )
    return STAGES.resolve(stage), places.resolve_one(region, department, commune), OFFERS.resolve_all(needs)
