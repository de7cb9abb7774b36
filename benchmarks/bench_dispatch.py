"""Benchmark of `beian dispatch`'s draw: N synthetic sessions and M supervisors, in memory through the same
functions the command uses (eligibility, the seeded greedy draw, and the CP-SAT optimiser forced over the whole
period to time the path a short draw takes). Target (issue 12 item 8): 1,000 sessions and 500 supervisors in
under 30 s. Prints a table; exits 0 whatever the figures.

    python benchmarks/bench_dispatch.py [-n 1000] [-m 500] [--seed 1] [--no-optimiser]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.supervision.dispatch import draw, greedy, needs_of, optimise  # noqa: E402
from generator.supervision.dispatch_judge import judge  # noqa: E402
from generator.supervision.dispatch_rules import DispatchRules  # noqa: E402
from generator.supervision.model import Assignment, Register, SessionRoles, Supervisor, Visit  # noqa: E402

TARGET_SECONDS = 30.0
# The strictest combination the seeds give: Beijing's pair and age limits, Guangdong's rotation within a year.
RULES = DispatchRules(jurisdiction="合成辖区", group_size=2, group_size_stipulated=True, max_consecutive=2,
                      within_days=365, avoidance_roles=("内督", "考评员"), age_limits={"男": 65, "女": 60})


def synthetic(sessions: int, supervisors: int, seed: int) -> tuple[Register, list[SessionRoles]]:
    rng = random.Random(seed)
    institutions = max(1, sessions // 10)
    names = [f"督导员{i:04d}" for i in range(supervisors)]
    people = tuple(Supervisor(
        index=i, card=f"合督{i:05d}", name=names[i], term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2027, 12, 31) if rng.random() > 0.05 else dt.date(2027, 3, 31),
        sex=rng.choice("男女"), birth_year=rng.randint(1960, 1990), employer=f"机构{rng.randrange(institutions * 2):04d}",
        management_work=True, conflicts=(f"inst-{rng.randrange(institutions):04d}",) if rng.random() < 0.1 else ())
        for i in range(supervisors))
    start = dt.date(2027, 1, 1)
    roles = []
    for k in range(sessions):
        institution = k % institutions
        first = start + dt.timedelta(days=rng.randrange(365))
        examiners = frozenset(rng.sample(names, 3)) if rng.random() < 0.3 else frozenset()
        roles.append(SessionRoles(key=f"inst-{institution:04d}/S{k:05d}", institution=f"inst-{institution:04d}",
                                  institution_name=f"机构{institution:04d}", plan_number=f"S{k:05d}",
                                  days=(first, first + dt.timedelta(days=1)), candidates=rng.randint(20, 300),
                                  examiners=examiners))
    return Register("synthetic", "合成鉴定中心", "部门内部", people), roles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="sessions")
    parser.add_argument("-m", type=int, default=500, help="supervisors")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-optimiser", action="store_true")
    args = parser.parse_args()
    register, sessions = synthetic(args.n, args.m, args.seed)
    timings = []

    began = time.perf_counter()
    needs = needs_of(register, sessions, [], RULES, "现场督导")
    timings.append(("eligibility (needs_of)", time.perf_counter() - began))

    began = time.perf_counter()
    chosen, short = greedy(needs, [], RULES, args.seed)
    timings.append((f"greedy draw ({len(chosen)} covered, {len(short)} short)", time.perf_counter() - began))

    visits = tuple(Visit(i, key, dt.date(2026, 12, 1), tuple(Assignment(j, c) for j, c in enumerate(cards)))
                   for i, (key, cards) in enumerate(chosen.items()))
    index = {s.key: s for s in sessions}
    began = time.perf_counter()
    problems = judge(Register(register.jurisdiction, register.department, register.visibility, register.supervisors,
                              visits), index, RULES, dt.date(2026, 12, 1))
    timings.append((f"judge the drawn visits ({sum(p.kind != 'note' for p in problems)} problems)", time.perf_counter() - began))
    if not args.no_optimiser:
        solvable = [n for n in needs if len(n.eligible) >= n.needed]
        try:
            began = time.perf_counter()
            solved, _ = optimise(solvable, [], RULES, args.seed)
            label = f"CP-SAT forced over the {len(solvable)} coverable sessions ({'solved' if solved else 'no solution'})"
            timings.append((label, time.perf_counter() - began))
        except ImportError:
            timings.append(("CP-SAT (ortools not installed)", 0.0))
        began = time.perf_counter()
        result = draw(register, sessions, [], RULES, args.seed, "现场督导")
        timings.append((f"beian dispatch's draw end to end ({result.method}, {len(result.uncovered)} uncovered)",
                        time.perf_counter() - began))
    print(f"{args.n} sessions, {args.m} supervisors, seed {args.seed}")
    for label, seconds in timings:
        print(f"  {label:<72} {seconds:8.2f} s")
    end_to_end = timings[-1][1] if not args.no_optimiser else timings[0][1] + timings[1][1]
    verdict = "PASS" if end_to_end < TARGET_SECONDS else "FAIL"
    print(f"  {'the draw as beian dispatch makes it':<72} {end_to_end:8.2f} s   target {TARGET_SECONDS:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
