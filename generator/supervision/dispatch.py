"""The draw of `beian dispatch`: 外督 for each session of a period, by the rules of dispatch_rules.py.

双随机: for each session (in date order) the eligible supervisors, sorted by card, are shuffled by one
random.Random(seed) and taken in that order while they keep every rule given the earlier choices. The seed is
printed and recorded, so anyone can replay the draw. When that greedy draw leaves a session short, the whole
period is solved with OR-Tools CP-SAT (one worker, fixed random seed, seed-derived random weights: random yet
replayable). A session neither can cover is named with why: needed, eligible and the excluded by reason.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from .dispatch_rules import DispatchRules, Service, obstacles, rotation_breaches
from .model import Register, SessionRoles

BUSY = "同日另有委派"
GREEDY, OPTIMISER = "贪心抽取", "优化求解（OR-Tools CP-SAT）"
SOLVER_SECONDS = 20.0
POOL_FACTOR = 8        # candidates per needed place in the first, smaller model


@dataclass(frozen=True)
class Need:
    """One session to cover: who may go (cards sorted), and who may not, counted by first reason."""
    session: SessionRoles
    needed: int
    eligible: tuple[str, ...]
    excluded: tuple[tuple[str, int], ...]

    @property
    def key(self) -> str:
        return self.session.key

    @property
    def days(self) -> tuple[dt.date, ...]:
        return self.session.days

    def shortfall(self) -> str:
        excluded = "、".join(f"{reason} {count} 人" for reason, count in self.excluded)
        return f"需 {self.needed} 人，可委派 {len(self.eligible)} 人" + (f"（不能委派的：{excluded}）" if excluded else "")


@dataclass
class Draw:
    seed: int
    needs: list[Need]
    visit_type: str = "现场督导"
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)   # session key → cards
    method: str = GREEDY
    greedy_short: list[str] = field(default_factory=list)
    uncovered: dict[str, str] = field(default_factory=dict)           # session key → why (Chinese)

    @property
    def complete(self) -> bool:
        return not self.uncovered


def needs_of(register: Register, sessions: list[SessionRoles], history: list[Service], rules: DispatchRules,
             visit_type: str) -> list[Need]:
    """Each session's Need, in date order; a supervisor busy elsewhere that day by a recorded visit is excluded."""
    busy = {(card, day): s.session for s in history for card in s.cards for day in s.days}
    found = []
    for session in sorted(sessions, key=lambda s: (s.days[:1], s.key)):
        eligible, excluded = [], Counter()
        for supervisor in sorted(register.supervisors, key=lambda s: s.card):
            if not supervisor.card or register.supervisor(supervisor.card) is not supervisor:
                continue  # a card written twice: register-identity reports it, the draw takes the first only
            found_obstacles = obstacles(supervisor, session.days, session, rules)
            if found_obstacles:
                excluded[found_obstacles[0].kind] += 1
            elif any(busy.get((supervisor.card, day), session.key) != session.key for day in session.days):
                excluded[BUSY] += 1
            else:
                eligible.append(supervisor.card)
        found.append(Need(session, rules.needed(visit_type), tuple(eligible), tuple(sorted(excluded.items()))))
    return found


def _service(need: Need, cards) -> Service:
    return Service(need.key, need.key, need.session.institution, need.days, frozenset(cards), need.days[0])


def _keeps_rotation(card: str, need: Need, services: list[Service], rules: DispatchRules) -> bool:
    if not rules.max_consecutive:
        return True
    mine = [s for s in services if s.institution == need.session.institution] + [_service(need, [card])]
    return not any(b.card == card and any(s.session == need.key for s in b.run) for b in rotation_breaches(mine, rules))


def greedy(needs: list[Need], history: list[Service], rules: DispatchRules, seed: int) -> tuple[dict, list[str]]:
    """The sequential random draw: (session key → cards chosen, sessions left short)."""
    rng = random.Random(seed)
    services = list(history)
    busy = {(card, day) for s in history for card in s.cards for day in s.days}
    chosen, short = {}, []
    for need in needs:
        order = list(need.eligible)
        rng.shuffle(order)
        picked: list[str] = []
        for card in order:
            if len(picked) == need.needed:
                break
            if any((card, day) in busy for day in need.days) or not _keeps_rotation(card, need, services, rules):
                continue
            picked.append(card)
        if len(picked) < need.needed:
            short.append(need.key)
            continue  # a short session takes no one, so that it blocks no other
        chosen[need.key] = tuple(sorted(picked))
        services.append(_service(need, picked))
        busy.update((card, day) for card in picked for day in need.days)
    return chosen, short


def _windows(needs: list[Need], history: list[Service], rules: DispatchRules):
    """Per institution, each run of max_consecutive+1 successive occasions (within the window): a list of
    (session key or None for history, history cards)."""
    from .dispatch_rules import occasions

    limit = rules.max_consecutive
    if not limit:
        return
    proposed = {n.key for n in needs}
    for sequence in occasions(list(history) + [_service(n, ()) for n in needs]).values():
        for start in range(len(sequence) - limit):
            window = sequence[start:start + limit + 1]
            if rules.within_days is not None and (window[-1][0] - window[0][0]).days > rules.within_days:
                continue
            yield [(o[1] if o[1] in proposed else None, o[2]) for o in window]


def _solve(needs: list[Need], history: list[Service], rules: DispatchRules, seed: int, pool: int | None):
    """One CP-SAT model over NEEDS, each session choosing among the first POOL of its eligible in a seeded
    order (all of them when None): (True, solution) solved, (False, None) proved impossible, (None, None)
    undecided within the time limit."""
    from ortools.sat.python import cp_model

    order = random.Random(seed)
    eligible_of = {}
    for need in needs:
        cards = list(need.eligible)
        order.shuffle(cards)
        eligible_of[need.key] = tuple(sorted(cards[:pool] if pool else cards))
    model = cp_model.CpModel()
    weights = random.Random(seed)
    x = {(key, c): model.NewBoolVar(f"x{i}_{j}") for i, (key, cards) in enumerate(eligible_of.items())
         for j, c in enumerate(cards)}
    objective = []
    by_card_day: dict = {}
    for need in needs:
        model.Add(sum(x[need.key, c] for c in eligible_of[need.key]) == need.needed)
        for card in eligible_of[need.key]:
            objective.append(weights.randint(0, 999) * x[need.key, card])
            for day in need.days:
                by_card_day.setdefault((card, day), []).append(x[need.key, card])
    for variables in by_card_day.values():
        if len(variables) > 1:
            model.AddAtMostOne(variables)
    for window in _windows(needs, history, rules):
        fixed = Counter(card for key, cards in window if key is None for card in cards)
        free: dict[str, list] = {}
        for key, _ in window:
            for card in eligible_of.get(key, ()):
                free.setdefault(card, []).append(x[key, card])
        for card, variables in free.items():
            if fixed[card] + len(variables) > rules.max_consecutive:
                model.Add(sum(variables) <= rules.max_consecutive - fixed[card])
    model.Maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed % 2_147_483_647
    solver.parameters.max_time_in_seconds = SOLVER_SECONDS
    status = solver.Solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True, {key: tuple(c for c in cards if solver.Value(x[key, c])) for key, cards in eligible_of.items()}
    return (False if status == cp_model.INFEASIBLE else None), None


def optimise(needs: list[Need], history: list[Service], rules: DispatchRules, seed: int):
    """The whole period by CP-SAT: (True, session key → cards), (False, None) when no dispatch keeps every rule,
    (None, None) when the solver could not decide in time. A small seeded pool of candidates per session is tried
    first (a large register makes the full model slow); the full model only when the pool is not enough."""
    pool = max(need.needed for need in needs) * POOL_FACTOR if needs else None
    if pool and any(len(n.eligible) > pool for n in needs):
        solved, solution = _solve(needs, history, rules, seed, pool)
        if solved:
            return solved, solution
    return _solve(needs, history, rules, seed, None)


def _optimiser_available() -> bool:
    try:
        import ortools.sat.python.cp_model  # noqa: F401
    except ImportError:
        return False
    return True


def draw(register: Register, sessions: list[SessionRoles], history: list[Service], rules: DispatchRules,
         seed: int, visit_type: str) -> Draw:
    """Propose 外督 for SESSIONS: the greedy draw, else CP-SAT, else every session that cannot be covered and why."""
    needs = needs_of(register, sessions, history, rules, visit_type)
    result = Draw(seed, needs, visit_type)
    chosen, short = greedy(needs, history, rules, seed)
    result.chosen, result.greedy_short = chosen, short
    if not short:
        return result
    hopeless = {n.key: n.shortfall() for n in needs if len(n.eligible) < n.needed}
    if set(short) <= set(hopeless):
        result.uncovered = hopeless   # the draw skipped them and covered every other session: nothing to optimise
        return result
    if not _optimiser_available():
        result.uncovered = {k: hopeless.get(k) or f"{_need(needs, k).shortfall()}；贪心抽取在同日一处、轮换规则下凑不足，"
                                                   "未安装 ortools，无法用优化求解再试（pip install 'ortools>=9.10'）"
                            for k in short}
        return result
    solvable = [n for n in needs if n.key not in hopeless]
    solved, solution = optimise(solvable, history, rules, seed)
    if solved:
        result.chosen, result.method = solution, OPTIMISER
        result.uncovered = hopeless
        return result
    why = ("优化求解证明无法同时满足" if solved is False
           else f"优化求解在 {SOLVER_SECONDS:.0f} 秒内未找到同时满足的方案")
    result.uncovered = {k: hopeless.get(k) or f"{_need(needs, k).shortfall()}，但在同日一处和轮换规则下与同期其他认定计划"
                                               f"争用同一批外督，{why}" for k in short}
    return result


def _need(needs: list[Need], key: str) -> Need:
    return next(n for n in needs if n.key == key)
