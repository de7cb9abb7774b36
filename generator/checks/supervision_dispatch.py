"""The register's dispatches (department/<jurisdiction>/dispatches.yaml) judged by the rules `beian dispatch`
keeps when it proposes: generator/supervision/dispatch_judge.py finds every problem once per register folder;
each check reports those of its own rule."""
from __future__ import annotations

from . import check, deficiency, needs_review, note
from ..context import CheckContext
from ..filing import Ref
from ..supervision.dispatch_judge import DEFICIENCY, REVIEW, judge
from ..supervision.dispatch_rules import rules_for
from ..supervision.load import register_of, sessions_index


def _problems(ctx: CheckContext, rule: str):
    folder = ctx.subject
    if "dispatch_problems" not in folder.derived:
        sessions = sessions_index(folder.root.resolve().parent.parent)
        folder.derived["dispatch_problems"] = judge(register_of(folder), sessions, rules_for(ctx.jurisdiction, ctx.today),
                                                    ctx.today)
    for problem in folder.derived["dispatch_problems"]:
        if problem.rule != rule:
            continue
        at = Ref("dispatches", problem.path)
        if problem.kind == DEFICIENCY:
            yield deficiency(problem.message, at, hint=problem.hint)
        elif problem.kind == REVIEW:
            yield needs_review(problem.message, at)
        else:
            yield note(problem.message, at)


def _reporter(rule: str):
    def report(ctx: CheckContext):
        yield from _problems(ctx, rule)
    report.__name__ = rule.replace("-", "_")
    return report


# One check per rule, each reporting its own share of the problems judged once: supervision_dispatch.session
# for dispatch-session, ... one_place for dispatch-one-place.
for _name in ("session", "size", "eligible", "avoidance", "rotation", "one_place"):
    check(f"supervision_dispatch.{_name}")(_reporter("dispatch-" + _name.replace("_", "-")))
