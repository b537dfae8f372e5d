"""Command-line wiring only: options in, exit codes out (0 clean, 1 findings, 2 usage or input error, 3 a bug).

Format choices come from the registries. Heavy modules are imported inside
the commands that need them, so ``--version`` and a small audit start fast.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from auditor import __version__
from auditor.audit_command import error_line, write_output
from auditor.cli_options import AUDIT_OPTIONS
from auditor.errors import AuditorError, UsageError, report_error

__all__ = ["app", "main"]

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def _examples(*lines: str) -> str:
    """Two examples closing a command's help (blank-line separated, so rich keeps them apart)."""
    return "Examples:\n\n" + "\n\n".join(f"  $ {line}" for line in lines)


class _Commands(TyperGroup):
    """The command group: an :class:`AuditorError` from any command becomes one line and exit 2.

    This is the Typer side's one error handler (the fast path in ``auditor.entry`` has the
    other); both end in :func:`auditor.errors.report_error`.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except AuditorError as error:
            raise typer.Exit(report_error(error)) from None


app = typer.Typer(
    cls=_Commands,
    name="stack-auditor",
    help="Audit Python dependency graphs and SBOMs against architecture stack profiles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=HELP_OPTIONS,
    rich_markup_mode="rich",  # the same on every typer release; help texts escape their "["
    epilog=_examples("stack-auditor audit examples/fastapi-on-django", "stack-auditor audit --help"),
)
profiles_app = typer.Typer(help="List and inspect stack profiles.", no_args_is_help=True, context_settings=HELP_OPTIONS)
rules_app = typer.Typer(help="List and inspect rules.", no_args_is_help=True, context_settings=HELP_OPTIONS)
app.add_typer(profiles_app, name="profiles")
app.add_typer(rules_app, name="rules")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stack-auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """stack-auditor: hold every repository to its architecture contract."""


def _audit_parameters() -> list[inspect.Parameter]:
    """The Typer parameters of ``audit``, from the one table (auditor.cli_options)."""
    from auditor.audit_command import run_audit_command

    defaults = inspect.signature(run_audit_command).parameters
    choices = {
        "formats": ", ".join(render_formats()),
        "input_formats": ", ".join(entry.name for entry in input_formats()),
        "profiles": ", ".join(profile_names_or_none()),
    }
    parameters = [
        inspect.Parameter(
            "paths",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[
                list[Path] | None,
                typer.Argument(
                    help="Repositories, folders or dependency files (default: .).", metavar="PATHS", show_default=False
                ),
            ],
        )
    ]
    for option in AUDIT_OPTIONS:
        flags = [f"{option.flags[0]}/{option.negative}", *option.flags[1:]] if option.negative else list(option.flags)
        info = typer.Option(
            *flags,
            help=_escape(option.help.format(**choices)),
            rich_help_panel=option.panel,
            metavar=option.metavar,
            min=1 if option.kind == "positive-int" else None,
            show_default=option.kind == "positive-int",
        )
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=defaults[option.name].default,
                annotation=Annotated[_OPTION_TYPES[option.kind], info],
            )
        )
    return parameters


_OPTION_TYPES: dict[str, Any] = {
    "str": str | None,
    "path": Path | None,
    "strs": list[str] | None,
    "paths": list[Path] | None,
    "positive-int": int,
    "flag": bool,
    "switch": bool | None,
}


def _escape(text: str) -> str:
    """Help text as plain text: rich markup would read ``[tool.stack-auditor]`` as a style tag."""
    return text.replace("[", "\\[")


def _input_format_help() -> str:
    """The audit table's --input-format help, for graph and why too (one wording, the choices listed)."""
    (option,) = (option for option in AUDIT_OPTIONS if option.name == "input_format")
    return _escape(option.help.format(input_formats=", ".join(entry.name for entry in input_formats())))


def render_formats() -> tuple[str, ...]:
    from auditor.render import FORMATS

    return tuple(FORMATS)


def input_formats() -> tuple[Any, ...]:
    from auditor.resolvers import FORMATS

    return FORMATS


def profile_names_or_none() -> list[str]:
    """Shipped profile names for the help text; a broken install still gets its help."""
    from auditor.policy.profiles import profile_names

    try:
        return profile_names()
    except AuditorError:
        return []


def audit(**options: Any) -> None:
    """Audit PATHS against a stack profile and the rules.

    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 a usage error or an unreadable input (every other project is still audited).
    """
    from auditor.audit_command import run_audit_command

    raise typer.Exit(run_audit_command(**options))


def _register_audit() -> None:
    parameters = _audit_parameters()
    audit.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    audit.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
    app.command(
        "audit",
        epilog=_examples(
            "stack-auditor audit examples/fastapi-on-django",
            "stack-auditor audit . --format sarif -o stack-auditor.sarif --fail-on warning",
        ),
    )(audit)


_register_audit()


@app.command(
    epilog=_examples("stack-auditor graph examples/django-transitive", "stack-auditor graph uv.lock --format json")
)
def graph(
    path: Annotated[Path, typer.Argument(help="A repository, a folder or one dependency file.")] = Path(),
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    input_format: Annotated[
        str | None, typer.Option("--input-format", metavar="NAME", help=_input_format_help())
    ] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Glob of paths to skip (repeatable).")] = None,
) -> None:
    """Show each project's packages: version, direct or transitive, scopes, where declared."""
    from auditor.audit import AuditOptions, load_project_graphs
    from auditor.explain import graph_json, graph_text

    if output_format not in ("text", "json"):
        raise UsageError("graph --format takes text or json")
    _root, projects = load_project_graphs(path, AuditOptions(input_format=input_format, excludes=tuple(exclude or ())))
    write_output(graph_json(projects) if output_format == "json" else graph_text(projects), None)
    failures = [f for p in projects for f in p.failures]
    for failure in failures:
        error_line(str(failure))
    raise typer.Exit(2 if failures else 0)


@app.command(
    epilog=_examples("stack-auditor why django examples/django-transitive", "stack-auditor why pydantic services/api")
)
def why(
    package: Annotated[str, typer.Argument(help="Package name.")],
    path: Annotated[Path, typer.Argument(help="A repository, a folder or one dependency file.")] = Path(),
    input_format: Annotated[
        str | None, typer.Option("--input-format", metavar="NAME", help=_input_format_help())
    ] = None,
    all_paths: Annotated[
        bool, typer.Option("--all", help="Every path per scope (up to 20), not only the shortest.")
    ] = False,
) -> None:
    """Show, per scope, the shortest path from each project to PACKAGE."""
    from auditor.audit import AuditOptions, load_project_graphs
    from auditor.explain import why_text

    _root, projects = load_project_graphs(path, AuditOptions(input_format=input_format))
    text, found = why_text(projects, package, all_paths)
    write_output(text, None)
    raise typer.Exit(0 if found else 1)


@profiles_app.command(
    "list",
    epilog=_examples(
        "stack-auditor profiles list", "stack-auditor profiles list | xargs -n1 stack-auditor profiles show"
    ),
)
def profiles_list() -> None:
    """One shipped profile a line."""
    from auditor.policy.profiles import profile_names

    for name in profile_names():
        typer.echo(name)


@profiles_app.command(
    "show",
    epilog=_examples(
        "stack-auditor profiles show fastapi-python", "stack-auditor profiles show ./acme-profile.json --rules ./rules"
    ),
)
def profiles_show(
    name: Annotated[str, typer.Argument(help="Profile name or path.")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")] = None,
) -> None:
    """Each stack token and anti-recommendation: what is checked, or why it is not checkable."""
    from auditor.explain import profile_text

    write_output(profile_text(name, tuple(rules or ())), None)


@profiles_app.command(
    "check",
    epilog=_examples(
        "stack-auditor profiles check acme.json", "stack-auditor profiles check acme.json --rules ./rules"
    ),
)
def profiles_check(
    file: Annotated[Path, typer.Argument(help="A profile JSON file.")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory.")] = None,
) -> None:
    """Validate a profile file: schema, extends, and unknown tokens or keys."""
    from auditor.explain import profile_check

    problems = profile_check(file, tuple(rules or ()))
    for problem in problems:
        typer.echo(problem)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{file}: ok")


@rules_app.command(
    "list", epilog=_examples("stack-auditor rules list", "stack-auditor rules list --rules ./team-rules")
)
def rules_list(
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")] = None,
) -> None:
    """One rule id a line: rule files, then every profile-derived id."""
    from auditor.explain import all_rule_metas

    metas = all_rule_metas(tuple(rules or ()))
    for meta in metas:
        typer.echo(f"{meta.id}\t{meta.severity.value}\t{meta.summary}")


@rules_app.command(
    "show",
    epilog=_examples(
        "stack-auditor rules show SA101", "stack-auditor rules show django-monolith/no-rate-limiting --json"
    ),
)
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. django-monolith/fastapi-on-top-of-django.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")] = None,
) -> None:
    """A rule's metadata and help."""
    from auditor.explain import rule_show

    write_output(rule_show(rule_id, as_json, tuple(rules or ())), None)


def _register_upload() -> None:
    """``upload`` keeps its own module; its exit code (0/1/2) becomes the process's."""
    import functools

    from auditor.github.cli import upload

    @functools.wraps(upload)
    def command(*args: object, **kwargs: object) -> None:
        raise typer.Exit(upload(*args, **kwargs))  # type: ignore[arg-type]

    app.command(
        "upload",
        help="Upload a SARIF file to GitHub code scanning and wait for processing.",
        epilog=_examples(
            "stack-auditor upload out.sarif --repo octo-org/app --ref refs/heads/main --commit $(git rev-parse HEAD)",
            "stack-auditor upload out.sarif --api-url https://ghe.example.com/api/v3 --tool-name stack-auditor-api",
        ),
    )(command)


_register_upload()


# auditor.sweep.cli imports only typer and pathlib; sqlite3, rich and the pools load inside the commands.
from auditor.sweep.cli import merge, sweep  # noqa: E402

app.command(
    "sweep",
    epilog=_examples(
        "stack-auditor sweep --root ~/checkouts --out sweep-out --jobs 4",
        "stack-auditor sweep --github-org octo-org --out sweep-out --shard 1/4",
    ),
)(sweep)
app.command(
    "merge", epilog=_examples("stack-auditor merge shard-*/ --out sweep-out", "stack-auditor merge a b c --out merged")
)(merge)


def main() -> None:
    """Run the Typer app (its command group reports every AuditorError: see :class:`_Commands`).

    The console script enters through ``auditor.entry.main``, which answers
    ``--version`` and common ``audit`` command lines before this app is built.
    An unexpected exception is a bug: :func:`auditor.errors.internal_error` gives it its own exit code.
    """
    try:
        app()
    except Exception as error:
        from auditor.errors import internal_error

        raise SystemExit(internal_error(error)) from None
