"""Each application's story: its state, the workflow steps that led there, who took them, when."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bench.dataset.world import CATEGORIES_BY_TYPE, World
from certtrack.domain.workflow import TRANSITIONS, Role, State, check_transition

# A national backlog: most applications are long registered; every state is represented.
STATE_WEIGHTS = {
    "draft": 6, "submitted": 3, "under_review": 3, "returned": 2, "rejected": 4,
    "inspection_scheduled": 3, "inspected": 2, "corrective_actions": 2, "lab_testing": 3,
    "conclusion_negative": 2, "conclusion_positive": 2, "recommended": 2, "submitted_to_gacc": 3,
    "gacc_returned": 1, "gacc_refused": 2, "registered": 55, "withdrawn": 5,
}
_REVIEW = ["submit", "start_review"]
_INSPECTED = [*_REVIEW, "schedule_inspection", "record_inspection"]
_LAB = [*_INSPECTED, "send_to_lab", "record_lab_results"]
_GACC = [*_LAB, "conclude_positive", "recommend", "submit_to_gacc"]
PATHS = {
    "draft": [], "submitted": ["submit"], "withdrawn": ["submit", "withdraw"],
    "under_review": _REVIEW, "returned": [*_REVIEW, "return_for_corrections"],
    "rejected": [*_REVIEW, "reject"], "inspection_scheduled": _INSPECTED[:-1],
    "inspected": _INSPECTED, "corrective_actions": [*_INSPECTED, "require_corrective_actions"],
    "lab_testing": _LAB[:-1], "conclusion_negative": [*_LAB, "conclude_negative"],
    "conclusion_positive": _GACC[:-2], "recommended": _GACC[:-1], "submitted_to_gacc": _GACC,
    "gacc_returned": [*_GACC, "record_gacc_return"],
    "gacc_refused": [*_GACC, "record_gacc_refusal"],
    "registered": [*_GACC, "record_registration"],
}
RETURN_CYCLE = ["return_for_corrections", "resubmit", "start_review"]
CORRECTIVE_CYCLE = ["require_corrective_actions", "submit_corrective_evidence",
                    "verify_corrective_actions"]
# Days an application may stay in an open state before it is overdue (roughly).
DEADLINE_DAYS = {"submitted": 3, "under_review": 4, "returned": 14, "inspection_scheduled": 25,
                 "inspected": 10, "corrective_actions": 30, "lab_testing": 20,
                 "conclusion_positive": 10, "recommended": 10, "submitted_to_gacc": 60,
                 "gacc_returned": 20}
LONG_TIMELINE_CYCLES = 12
ROLE_OF = {str(action): next(iter(row.roles)) for (_source, action), row in TRANSITIONS.items()}


@dataclass(slots=True)
class Step:
    """One workflow step of an application's history."""

    action: str
    source: str
    target: str
    at: datetime
    actor_id: int | None


@dataclass(slots=True)
class Plan:
    """Everything the row writers need to know about one application."""

    id: int
    enterprise_id: int
    establishment_id: int
    region: str
    committee: str
    category: str
    kind: str
    state: str
    created_at: datetime
    steps: list[Step] = field(default_factory=list)
    assignee_id: int | None = None
    gacc_batch_id: int | None = None
    products: list[str] = field(default_factory=list)

    @property
    def changed_at(self) -> datetime:
        """When the application entered its current state."""
        return self.steps[-1].at if self.steps else self.created_at

    def took(self, action: str) -> bool:
        """True when the history holds `action`."""
        return any(step.action == action for step in self.steps)

    def deadline(self) -> date | None:
        """The stage deadline of an open state, else None."""
        days = DEADLINE_DAYS.get(self.state)
        return (self.changed_at + timedelta(days=days)).date() if days else None


def owners(world: World, count: int) -> list[int]:
    """The enterprise of each application: the bench exporter's has many, the rest at random."""
    own = min(150, max(1, count // 20))
    rest = [world.rng.randint(1, world.sizes.enterprises) for _ in range(count - own)]
    return [1] * own + rest


def make_plan(world: World, app_id: int, enterprise_id: int, long: bool = False) -> Plan:
    """Draw one application's establishment, category, kind and state, then its history."""
    rng = world.rng
    establishment_id, region, kind = rng.choice(world.establishments[enterprise_id])
    if long:
        establishment_id, region, kind = world.establishments[1][0]
    category = "edible_grains" if long else rng.choice(CATEGORIES_BY_TYPE[kind])
    state = "lab_testing" if long else rng.choices(list(STATE_WEIGHTS),
                                                   list(STATE_WEIGHTS.values()))[0]
    plan = Plan(app_id, enterprise_id, establishment_id, region, world.ref.committee_of[category],
                category, rng.choices(("new", "renewal", "change"), (80, 10, 10))[0], state,
                world.now)
    actions = _actions(world, state, LONG_TIMELINE_CYCLES if long else 0)
    _add_steps(world, plan, actions)
    return plan


def _actions(world: World, state: str, cycles: int) -> list[str]:
    actions = list(PATHS[state])
    rng = world.rng
    if "schedule_inspection" in actions and (cycles or rng.random() < 0.2):
        at = actions.index("start_review") + 1
        actions[at:at] = RETURN_CYCLE * max(cycles, 1)
    if "send_to_lab" in actions and (cycles or rng.random() < 0.3):
        at = actions.index("record_inspection") + 1
        actions[at:at] = CORRECTIVE_CYCLE * max(cycles // 4, 1)
    return actions


def _end_of_story(world: World, state: str) -> datetime:
    if state == "draft":
        return world.ago(world.rng.uniform(0, 60))
    if state in DEADLINE_DAYS:
        return world.ago(world.rng.uniform(0, 30))
    return world.ago(world.rng.uniform(3, 1000))


def _add_steps(world: World, plan: Plan, actions: list[str]) -> None:
    rng = world.rng
    gaps = [rng.uniform(0.2, 6.0) for _ in actions]
    end = _end_of_story(world, plan.state)
    plan.created_at = end - timedelta(days=sum(gaps) + rng.uniform(1, 20))
    if "start_review" in actions or (plan.state == "submitted" and rng.random() < 0.3):
        plan.assignee_id = _assignee(world, plan)
    if not actions:
        plan.created_at = end
    state, at = State.draft, end - timedelta(days=sum(gaps))
    for action, gap in zip(actions, gaps, strict=True):
        at += timedelta(days=gap)
        transition = check_transition(state, action, ROLE_OF[action])
        plan.steps.append(Step(action, state.value, transition.target.value, at,
                               _actor(world, plan, transition.roles)))
        state = transition.target
    assert state.value == plan.state, (plan.state, actions)


def _assignee(world: World, plan: Plan) -> int | None:
    if plan.id == 1:  # the long timeline: the bench inspector's own
        return world.inspectors[("phytosanitary", "KZ-11")][0]
    return world.inspector_for(plan.committee, plan.region)


def _actor(world: World, plan: Plan, roles) -> int | None:
    if Role.exporter in roles:
        return world.exporter_of[plan.enterprise_id]
    if Role.inspector in roles:
        return plan.assignee_id
    return world.rng.choice(world.registrars)
