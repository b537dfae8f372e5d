"""The pipeline: discover -> resolve -> graph -> evaluate, into one :class:`Report`.

Errors are recorded per file and the run goes on: a malformed file yields an
:class:`InputFailure` and every other project is still audited.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from auditor import __version__
from auditor.config import Config, load_config
from auditor.datafile import Unreadable, read_regular
from auditor.discover import Discovery, ProjectInput, discover_tree, template_reason
from auditor.errors import InputError
from auditor.findings import InputFailure, ProjectReport, Report
from auditor.graph import ProjectGraph
from auditor.hostile_text import NOT_UTF8_NAME, checked_text, is_utf8, number_failure, shown_name
from auditor.limits import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PACKAGES, MAX_INCLUDE_DEPTH
from auditor.merge import build_graph
from auditor.model import Provenance, ResolveResult, Skipped
from auditor.policy.catalog import load_catalog
from auditor.policy.evaluate import evaluate, group_per_file, profile_rule_ids, unknown_entries
from auditor.policy.infer import choose
from auditor.policy.profiles import Profile, load_profile, profile_names
from auditor.policy.rules import load_rules
from auditor.policy.suppress import suppress, unknown_overrides
from auditor.redact import redact, redact_result
from auditor.resolvers import Resolver
from auditor.views import PackageViews
from auditor.weakening import apply_severity_visibly, catalog_overrides, org_only_config

if TYPE_CHECKING:
    from auditor.evidence.model import Evidence

__all__ = ["AuditOptions", "ProjectAudit", "audit", "load_project_graphs", "read_text"]


@dataclass(slots=True)
class AuditOptions:
    profile: str | None = None
    default_profile: str | None = None  # the org's default (sweep): used when it fits, else inference
    rule_dirs: tuple[Path, ...] = ()
    excludes: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()  # folders a default exclude would leave out (--include)
    default_excludes: bool = True  # --no-default-excludes turns them off
    input_format: str | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_packages: int = DEFAULT_MAX_PACKAGES  # per project, over all its files
    explain_profile: bool = False
    read_code: bool = True  # --no-code: judge dependencies only (the evidence stage does not run)
    read_git: bool = True  # --no-git: no `git log` for the team size
    use_config: bool = True  # read [tool.stack-auditor] / .stack-auditor.toml at the audited root
    fail_on: str | None = None  # None: the config's fail-on (audit() fills it in), else the caller's
    today: dt.date | None = None  # for ignore expiry; injectable for tests
    # Ignore the audited repo's weakening settings (off/lowered severities, ignores, own profile file,
    # catalog redefinitions); a sweep with an org sweep.toml sets it.
    policy_from_org_only: bool = False


class ProjectAudit(NamedTuple):
    """A project's graph before evaluation (``graph`` and ``why`` stop here)."""

    path: str
    graph: ProjectGraph
    failures: list[InputFailure]
    skipped: tuple[Skipped, ...] = ()  # files of the project not read (templates)


def read_text(root: Path, relative: str, max_bytes: int) -> str:
    """A file's text, or a located :class:`InputError` (too large, not UTF-8)."""
    path = root / relative
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(relative, 0, "cannot read file: missing, or a symlink loop") from None
    if not real.is_relative_to(root.resolve()):
        raise InputError(relative, 0, "symlink leads out of the audited root: not followed")
    try:
        data = read_regular(path, max_bytes)
    except Unreadable as error:
        raise InputError(relative, 0, f"file {error}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(relative, 1, "file is UTF-16 encoded; expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(relative, line, f"invalid UTF-8 at byte {error.start}; expected UTF-8 text") from None


def _parse_file(
    root: Path,
    relative: str,
    resolver: Resolver,
    options: AuditOptions,
    failures: list[InputFailure],
    already: int = 0,
    skipped: list[Skipped] | None = None,
) -> list[ResolveResult]:
    """Parse a file and, for requirements, the files it includes (inside the root only).

    (long: limits, decoding and the resolver call for one file)
    """
    results: list[ResolveResult] = []
    seen: set[str] = set()
    real_root = root.resolve()
    counted = [0]  # packages of this file and its includes

    def visit(path: str, parser: Resolver, depth: int, constraints: bool) -> None:
        if path in seen:
            return
        seen.add(path)
        text = ""
        try:
            text = checked_text(read_text(root, path, options.max_file_bytes), path)
            result = parser.parse(text, path)
        except InputError as error:
            # A file that does not parse and holds Jinja markup is a template (cookiecutter,
            # copier), not a broken dependency file: passed over with a note, not an input error.
            template = template_reason(text, parser) if error.file == path else ""
            if template and skipped is not None:
                skipped.append(Skipped(path, template))
            else:
                failures.append(InputFailure(error.file, error.line, redact(error.message)))
            return
        except RecursionError:
            failures.append(InputFailure(path, 0, "structure nested too deeply"))
            return
        except ValueError as error:  # int() of a 4,301+ digit literal, in any TOML or JSON parser
            failures.append(number_failure(path, error, text))
            return
        redact_result(result)
        counted[0] += len(result.packages)
        if counted[0] + already > options.max_packages:
            count, limit = len(result.packages), options.max_packages
            message = f"too large: {count} packages, over the limit of {limit} per project (--max-packages)"
            failures.append(InputFailure(path, 0, message))
            return
        if constraints:
            # A constraints file pins versions of what others require; it adds no dependency.
            result.edges = []
        results.append(result)
        for include in result.includes:
            target = _include_target(root, real_root, path, include.target, include.provenance, result)
            if target is None:
                continue
            if depth >= MAX_INCLUDE_DEPTH:
                result.skipped.append(
                    Skipped(include.target, "include nested too deeply: not followed", include.provenance)
                )
                continue
            visit(target, parser, depth + 1, constraints or include.kind == "constraints")

    visit(relative, resolver, 0, False)
    return results


def _include_target(
    root: Path, real_root: Path, including: str, target: str, at: Provenance, result: ResolveResult
) -> str | None:
    if "://" in target:
        result.skipped.append(Skipped(target, "URL include: not fetched", at))
        return None
    if PurePosixPath(target).is_absolute():
        result.skipped.append(Skipped(target, "absolute include path: not followed", at))
        return None
    candidate = root / PurePosixPath(including).parent / target
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        result.skipped.append(Skipped(target, "included file not found (or a symlink loop)", at))
        return None
    if not resolved.is_relative_to(real_root):
        result.skipped.append(Skipped(target, "include leaves the audited root: not followed", at))
        return None
    return resolved.relative_to(real_root).as_posix()


def load_project_graphs(target: Path | list[Path], options: AuditOptions) -> tuple[Path, list[ProjectAudit]]:
    """Discover and resolve every project under ``target`` into graphs (no evaluation)."""
    found, audits = discover_and_load(target, options)
    return found.root, audits


def discover_and_load(target: Path | list[Path], options: AuditOptions) -> tuple[Discovery, list[ProjectAudit]]:
    """:func:`load_project_graphs`, with what discovery left out (excluded folders, look-alike files)."""
    found = discover_tree(target, options.excludes, options.input_format, options.includes, options.default_excludes)
    root, projects = found.root, found.projects
    parsed: dict[str, list[ResolveResult]] = {}
    failures: dict[str, list[InputFailure]] = {}
    skipped: dict[str, list[Skipped]] = {}
    unnamed: list[InputFailure] = []  # files whose names are not UTF-8: reported, never read
    for project in projects:
        if not is_utf8(project.path):
            unnamed.extend(InputFailure(shown_name(f.path), 0, NOT_UTF8_NAME) for f in project.files)
            continue
        project_failures = failures.setdefault(project.path, [])
        project_skipped = skipped.setdefault(project.path, [])
        results = parsed.setdefault(project.path, [])
        for file in project.files:
            if not is_utf8(file.path):
                project_failures.append(InputFailure(shown_name(file.path), 0, NOT_UTF8_NAME))
                continue
            already = sum(len(result.packages) for result in results)
            results.extend(
                _parse_file(root, file.path, file.resolver, options, project_failures, already, project_skipped)
            )
    _share_workspace_locks(parsed, projects)
    audits = []
    for path in sorted(parsed):
        if not parsed[path] and skipped.get(path) and not failures.get(path):
            # Every file of this folder was a template: not a project.
            found.skipped.extend(skipped[path])
            continue
        graph = build_graph(path, parsed[path], path if path != "." else "")
        audits.append(ProjectAudit(path, graph, failures.get(path, []), tuple(skipped.get(path, ()))))
    if unnamed:
        if not audits:
            audits.append(ProjectAudit(".", build_graph(".", [], ""), []))
        audits[0].failures.extend(unnamed)
    return found, audits


def _share_workspace_locks(parsed: dict[str, list[ResolveResult]], projects: list[ProjectInput]) -> None:
    """A uv workspace lock at the root also belongs to each member project below it."""
    for path, results in list(parsed.items()):
        for result in results:
            if result.role != "lock" or len(result.projects) <= 1:
                continue
            base = PurePosixPath(result.file).parent
            for project in result.projects:
                if not project.directory:
                    continue
                member = (base / project.directory).as_posix()
                if member != path and member in parsed and result not in parsed[member]:
                    parsed[member].append(result)


def audit(target: Path | list[Path], options: AuditOptions, progress: Callable[[str], None] | None = None) -> Report:
    """Audit every project under ``target``.

    Settings the caller left unset (profile, fail-on) come from the audited root's
    configuration; command-line values win. ``options.fail_on`` is filled in.

    (long: the audit's steps in order, policy weakening included)
    """
    config_root = _config_root(target)
    config = load_config(config_root, options.max_file_bytes) if options.use_config else Config()
    org_only = options.policy_from_org_only
    weakened: set[str] = set()
    if org_only:
        config, ignored = org_only_config(config)
        weakened.update(ignored)
    rule_dirs = (*options.rule_dirs, *config.rule_dirs)
    options.fail_on = options.fail_on or config.fail_on
    catalog = load_catalog(rule_dirs, confine=config_root)
    if config.rule_dirs:
        catalog, redefined = catalog_overrides(load_catalog(options.rule_dirs), catalog, org_only)
        weakened.update(redefined)
    rules = load_rules(rule_dirs, confine=config_root)
    if options.profile:
        forced = load_profile(options.profile)
    elif config.profile:  # named by the audited repo: its extends chain must stay inside the root too
        forced = load_profile(config.profile, confine=config_root)
    else:
        forced = None
    candidates = [load_profile(name) for name in profile_names()] if forced is None else []
    preferred = load_profile(options.default_profile) if forced is None and options.default_profile else None
    found, projects = discover_and_load(target, options)
    root = found.root
    report = Report(root=root.as_posix(), tool_version=__version__, source_prefix=source_prefix(root))
    report.excluded = found.excluded
    report.skipped = found.skipped
    report.no_dependency_files = not projects and not found.named_skipped
    report.explain = options.explain_profile
    for project in projects:
        if progress:
            progress(project.path)
        report.failures.extend(project.failures)
        choice = choose(project.graph, forced, candidates, catalog, options.explain_profile, preferred)
        profile = choice.profile
        evidence = project_evidence(root, project.path, [p.path for p in projects], options, profile, config)
        evaluation = evaluate(project.graph, profile, catalog, rules, evidence)
        evaluation.findings = apply_severity_visibly(evaluation.findings, evaluation.rules, config, org_only, weakened)
        report.rules.update(evaluation.rules)
        report.projects.append(
            ProjectReport(
                path=project.path,
                name=project.graph.name,
                files=sorted(set(project.graph.files)),
                profile=profile.name if profile else None,
                profile_reason=choice.reason,
                inference=choice.inference,
                findings=evaluation.findings,
                not_checkable=evaluation.not_checkable,
                packages=PackageViews(project.graph),
                requires_python=project.graph.requires_python,
                skipped=[*project.skipped, *project.graph.skipped],
                judgements=evaluation.judgements,
                evidence_summary=_summary(evidence),
            )
        )
    report.failures.sort(key=lambda f: (f.file, f.line, f.message))
    report.notices.extend(config.notices)
    report.notices.extend(sorted(weakened))
    report.notices.extend(unknown_entries(forced, catalog) if forced is not None else [])
    considered = [forced] if forced else [*candidates, *([preferred] if preferred else [])]
    known = {rule.id for rule in rules}.union(*(profile_rule_ids(p) for p in considered))
    report.notices.extend(unknown_overrides(config.severity, known, config.file))
    report.notices.extend(suppress(report.findings, config.ignores, options.today or dt.date.today()))
    for project_report in report.projects:
        project_report.findings = group_per_file(project_report.findings, rules)
    return report


def _summary(evidence: Evidence | None) -> str:
    from auditor.evidence.stage import evidence_summary

    return evidence_summary(evidence) if evidence is not None else ""


def project_evidence(
    root: Path, project: str, all_projects: list[str], options: AuditOptions, profile: Profile | None, config: Config
) -> Evidence | None:
    """The evidence stage for one project with a profile (no profile: nothing to judge from code)."""
    if profile is None:
        return None
    from auditor.evidence.model import DEFAULT_RAW_SQL_MARKER, EvidenceOptions  # lazily: only with a profile
    from auditor.evidence.stage import run_stage

    marker = config.raw_sql_marker or DEFAULT_RAW_SQL_MARKER
    evidence_options = EvidenceOptions(options.read_code, options.read_git, excludes=options.excludes)
    evidence_options.raw_sql_marker = marker
    return run_stage(root, project, all_projects, evidence_options)


def _config_root(target: Path | list[Path]) -> Path:
    """Where the configuration of an audit lives: the audited folder (or the common folder of several paths)."""
    targets = target if isinstance(target, list) else [target]
    folders = [t if t.is_dir() else t.parent for t in targets]
    return folders[0] if len(folders) == 1 else Path(os.path.commonpath([str(f.resolve()) for f in folders]))


def source_prefix(root: Path) -> str:
    """The audited root relative to the enclosing repository (found by its ``.git``), for SARIF URIs."""
    real = root.resolve()
    for parent in (real, *real.parents):
        if (parent / ".git").exists():
            relative = real.relative_to(parent).as_posix()
            return "" if relative == "." else f"{relative}/"
    return ""
