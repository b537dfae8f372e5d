"""Command-line wiring only: options in, exit codes out (0 clean, 1 findings, 2 usage or input error, 3 a bug).

Format choices come from the registries. Heavy modules are imported inside
the commands that need them, so ``--version`` and a small audit start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from auditor import __version__
from auditor.audit_command import error_line, write_output
from auditor.errors import AuditorError
from auditor.limits import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PACKAGES

__all__ = ["app", "main"]

app = typer.Typer(
    name="stack-auditor",
    help="Audit Python dependency graphs and SBOMs against architecture stack profiles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
profiles_app = typer.Typer(help="List and inspect stack profiles.", no_args_is_help=True)
rules_app = typer.Typer(help="List and inspect rules.", no_args_is_help=True)
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


def _fail(message: str) -> NoReturn:
    error_line(message)
    raise typer.Exit(2)


@app.command()
def audit(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Repositories, folders or dependency files (default: .).")
    ] = None,
    profile: Annotated[
        str | None, typer.Option("--profile", "-p", help="Profile name or path to a profile JSON.")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="Output format.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Failing severity: error, warning, note, never (default: config, or error)"),
    ] = None,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Glob of paths to skip (repeatable).")] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Force the format of a single file.")
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="SARIF automationDetails.id (upload category).")
    ] = None,
    explain_profile: Annotated[
        bool, typer.Option("--explain-profile", help="Show why a profile was inferred.")
    ] = False,
    link_base: Annotated[str | None, typer.Option("--link-base", help="Markdown: base URL for file links.")] = None,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Colour text output (default: on a terminal).")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="Previous SARIF: mark results new/unchanged/updated/absent.")
    ] = None,
    fail_on_new: Annotated[
        bool, typer.Option("--fail-on-new", help="Exit 1 only for new findings (with --baseline).")
    ] = False,
    sarif_per_project: Annotated[
        Path | None,
        typer.Option("--sarif-per-project", help="Also write one SARIF per project (own category) into DIR."),
    ] = None,
    no_config: Annotated[
        bool, typer.Option("--no-config", help="Ignore [tool.stack-auditor] / .stack-auditor.toml.")
    ] = False,
    max_file_bytes: Annotated[
        int, typer.Option("--max-file-bytes", min=1, help="Report larger input files as too large, unread.")
    ] = DEFAULT_MAX_FILE_BYTES,
    max_packages: Annotated[
        int, typer.Option("--max-packages", min=1, help="Report a project with more packages as too large.")
    ] = DEFAULT_MAX_PACKAGES,
    policy_from_org_only: Annotated[
        bool,
        typer.Option(
            "--policy-from-org-only",
            help="Ignore what the audited repo's config does to weaken its gate (off, lower, ignores, own profile).",
        ),
    ] = False,
) -> None:
    """Audit PATHS against a stack profile and the rules; exit 1 on findings at or above --fail-on."""
    from auditor.audit_command import run_audit_command

    raise typer.Exit(
        run_audit_command(
            paths=paths,
            profile=profile,
            output_format=output_format,
            output=output,
            fail_on=fail_on,
            rules=rules,
            exclude=exclude,
            input_format=input_format,
            category=category,
            explain_profile=explain_profile,
            link_base=link_base,
            color=color,
            baseline=baseline,
            fail_on_new=fail_on_new,
            sarif_per_project=sarif_per_project,
            no_config=no_config,
            max_file_bytes=max_file_bytes,
            max_packages=max_packages,
            policy_from_org_only=policy_from_org_only,
        )
    )


@app.command()
def graph(
    path: Annotated[Path, typer.Argument(help="A repository, a folder or one dependency file.")] = Path(),
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Force the format of a single file.")
    ] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Glob of paths to skip (repeatable).")] = None,
) -> None:
    """Show each project's packages: version, direct or transitive, scopes, where declared."""
    from auditor.audit import AuditOptions, load_project_graphs
    from auditor.inspect import graph_json, graph_text

    try:
        _root, projects = load_project_graphs(
            path, AuditOptions(input_format=input_format, excludes=tuple(exclude or ()))
        )
    except AuditorError as error:
        _fail(str(error))
    if output_format not in ("text", "json"):
        _fail("graph --format takes text or json")
    write_output(graph_json(projects) if output_format == "json" else graph_text(projects), None)
    failures = [f for p in projects for f in p.failures]
    for failure in failures:
        error_line(str(failure))
    raise typer.Exit(2 if failures else 0)


@app.command()
def why(
    package: Annotated[str, typer.Argument(help="Package name.")],
    path: Annotated[Path, typer.Argument(help="A repository, a folder or one dependency file.")] = Path(),
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Force the format of a single file.")
    ] = None,
) -> None:
    """Show the path(s) from each project to PACKAGE."""
    from auditor.audit import AuditOptions, load_project_graphs
    from auditor.inspect import why_text

    try:
        _root, projects = load_project_graphs(path, AuditOptions(input_format=input_format))
    except AuditorError as error:
        _fail(str(error))
    text, found = why_text(projects, package)
    write_output(text, None)
    raise typer.Exit(0 if found else 1)


@profiles_app.command("list")
def profiles_list() -> None:
    """One shipped profile a line."""
    from auditor.policy.profiles import profile_names

    for name in profile_names():
        typer.echo(name)


@profiles_app.command("show")
def profiles_show(
    name: Annotated[str, typer.Argument(help="Profile name or path.")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")] = None,
) -> None:
    """Each stack token and anti-recommendation: what is checked, or why it is not checkable."""
    from auditor.inspect import profile_text

    try:
        write_output(profile_text(name, tuple(rules or ())), None)
    except AuditorError as error:
        _fail(str(error))


@profiles_app.command("check")
def profiles_check(
    file: Annotated[Path, typer.Argument(help="A profile JSON file.")],
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory.")] = None,
) -> None:
    """Validate a profile file: schema, extends, and unknown tokens or keys."""
    from auditor.inspect import profile_check

    try:
        problems = profile_check(file, tuple(rules or ()))
    except AuditorError as error:
        _fail(str(error))
    for problem in problems:
        typer.echo(problem)
    if problems:
        raise typer.Exit(1)
    typer.echo(f"{file}: ok")


@rules_app.command("list")
def rules_list(
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")] = None,
) -> None:
    """One rule id a line: rule files, then every profile-derived id."""
    from auditor.inspect import all_rule_metas

    try:
        metas = all_rule_metas(tuple(rules or ()))
    except AuditorError as error:
        _fail(str(error))
    for meta in metas:
        typer.echo(f"{meta.id}\t{meta.severity.value}\t{meta.summary}")


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. django-monolith/fastapi-on-top-of-django.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    rules: Annotated[list[Path] | None, typer.Option("--rules", help="Extra rules directory (repeatable).")] = None,
) -> None:
    """A rule's metadata and help."""
    from auditor.inspect import rule_show

    try:
        write_output(rule_show(rule_id, as_json, tuple(rules or ())), None)
    except AuditorError as error:
        _fail(str(error))


def _register_upload() -> None:
    """``upload`` keeps its own module; its exit code (0/1/2) becomes the process's."""
    import functools

    from auditor.github.cli import upload

    @functools.wraps(upload)
    def command(*args: object, **kwargs: object) -> None:
        raise typer.Exit(upload(*args, **kwargs))  # type: ignore[arg-type]

    app.command("upload", help="Upload a SARIF file to GitHub code scanning and wait for processing.")(command)


_register_upload()


# auditor.sweep.cli imports only typer and pathlib; sqlite3, rich and the pools load inside the commands.
from auditor.sweep.cli import merge, sweep  # noqa: E402

app.command("sweep")(sweep)
app.command("merge")(merge)


def main() -> None:
    """Run the Typer app: every AuditorError becomes a message and exit code 2.

    The console script enters through ``auditor.entry.main``, which answers
    ``--version`` and common ``audit`` command lines before this app is built.
    """
    try:
        app()
    except AuditorError as error:
        error_line(str(error))
        sys.exit(2)
    except Exception as error:
        from auditor.errors import internal_error

        sys.exit(internal_error(error))
