"""pip requirements files (``requirements*.txt``, ``requirements/*.txt``, ``*.in``).

Parsed by ``pip-requirements-parser`` (pip's own grammar). ``-r``/``-c``
includes are returned as :class:`Include` for discovery to follow inside the
audited root; this module never opens another file.

A compiled file (``pip-compile``, ``uv pip compile``, ``uv export``) carries
``# via`` annotations: those give the edges, and a package whose annotation
names an input file (``-r requirements.in``) or nothing is direct. A hand-written
file has no annotations: every line is a direct dependency.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from auditor.errors import InputError
from auditor.model import (
    MAIN,
    Edge,
    FileRole,
    Include,
    NormalizedName,
    Package,
    ResolveResult,
    Skipped,
    SourceKind,
    canonical_name,
)
from auditor.resolvers._compiled import input_scope, names_input, scope_of_file, via_blocks
from auditor.resolvers.base import LineIndex

__all__ = ["RequirementsResolver"]

_PIN = re.compile(r"^===?\s*([^\s,;]+)$")
_VCS = ("git+", "hg+", "svn+", "bzr+")
_ENV_VAR = re.compile(r"\$\{[A-Za-z0-9_]+\}")
_CONFIG_SETTINGS = re.compile(r"\s(?:--config-settings|-C)(?:[= ](?!-)\S*)?")


class RequirementsResolver:
    """Reads pip requirements files through ``pip-requirements-parser``."""

    name: ClassVar[str] = "requirements"
    role: ClassVar[FileRole] = "manifest"

    def sniff(self, head: str) -> bool:
        lines = [line.strip() for line in head.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            return False
        pattern = re.compile(
            r"^(-[rce]\s|--(requirement|constraint|hash|index-url)|[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(==|>=|<=|~=|!=|@|;|$))"
        )
        return sum(1 for line in lines[:20] if pattern.match(line)) >= max(1, len(lines[:20]) * 3 // 4)

    def parse(self, text: str, path: str) -> ResolveResult:
        if "\x00" in text:
            raise InputError(path, 1, "binary data where a requirements file was expected")
        text = _one_kind_of_line_break(text)
        prepared, result_skipped = _prepare(text, path)
        plain, rest = _split_plain(prepared) if FAST_PATH else ([], prepared)
        rest = _LONG_BLANKS.sub(" ", _check_long_lines(rest, path))
        try:
            parsed = _parse_text(rest)
        except Exception as error:  # pip's parser raises bare Exceptions and its own types
            raise InputError(path, _line_of(error), f"cannot parse requirements: {_one_line(str(error))}") from None
        requirements = sorted([*plain, *parsed.requirements], key=lambda r: r.line_number)
        index = LineIndex(text)
        result = ResolveResult(file=path, format=self.name, role="manifest", skipped=result_skipped)
        for option in parsed.options:
            for key, kind in (("requirements", "requirements"), ("constraints", "constraints")):
                for target in option.options.get(key, []):
                    at = index.line_provenance(path, option.line_number)
                    result.includes.append(Include(target=target, kind=kind, provenance=at))  # type: ignore[arg-type]
        for invalid in parsed.invalid_lines:
            if invalid.error_message.startswith("Incorrect and ignored trailing"):
                continue  # pip tolerates these ("--index-url URL pkg"); so do we
            reason = _one_line(invalid.error_message)
            raise InputError(path, invalid.line_number, f"invalid requirement {invalid.line.strip()!r}: {reason}")
        vias = via_blocks(index)
        compiled = bool(vias)
        if compiled:
            result.role = "lock"
        for requirement in requirements:
            self._add(requirement, index, path, vias, compiled, result)
        if compiled:
            # `# via my-project` names the project itself, which has no line of its own.
            known = {package.name for package in result.packages}
            result.edges = [
                edge if edge.parent is None or edge.parent in known else edge._replace(parent=None)
                for edge in result.edges
            ]
        # A compiled file's root edges already carry the scope of the input that declares them; the
        # rest ("", and every line of a hand-written file) is in the scope the file's name says.
        scope = scope_of_file(path)
        result.edges = [
            edge._replace(scope=scope) if not compiled or edge.scope == "" else edge for edge in result.edges
        ]
        return result

    def _add(
        self,
        requirement: Any,
        index: LineIndex,
        path: str,
        vias: dict[int, list[str]],
        compiled: bool,
        result: ResolveResult,
    ) -> None:
        line = requirement.line_number
        at = index.line_provenance(path, line)
        if not requirement.name:
            link = requirement.link.url if requirement.link else requirement.line
            result.skipped.append(
                Skipped(name=str(link), reason="requirement without a project name (a path or URL)", provenance=at)
            )
            return
        name = canonical_name(requirement.name)
        source = _source_kind(requirement)
        specifier = str(requirement.specifier or "")
        pinned = _PIN.match(specifier)
        version = pinned.group(1) if pinned and "*" not in pinned.group(1) else None
        marker = str(requirement.marker) if requirement.marker else None
        extras = tuple(sorted(requirement.extras or ()))
        result.packages.append(
            Package(
                name=name,
                version=version,
                provenance=at,
                source=source,
                display_name=requirement.name,
                purl=f"pkg:pypi/{name}@{version}" if version and source == "registry" else None,
            )
        )
        # (parent, scope): "" is the file's own scope, set once the file name is known to say it.
        parents: list[tuple[NormalizedName | None, str]] = [(None, MAIN)]
        if compiled:
            via = vias.get(line, [])
            inputs = [v for v in via if names_input(v)]
            # `# via -r requirements-dev.in`: declared in that input, in the scope its name says.
            parents = [(None, input_scope(v)) for v in inputs] or ([] if via else [(None, "")])
            parents += [(canonical_name(v), "") for v in via if not names_input(v)]
        for parent, scope in dict.fromkeys(parents):
            result.edges.append(
                Edge(
                    parent=parent,
                    child=name,
                    specifier=specifier,
                    extras=extras,
                    marker=marker,
                    scope=scope,
                    provenance=at,
                    source=source,
                )
            )


# pip's parser builds an optparse parser for every line (about 1 ms a line, and a
# 100k-line file took minutes). Lines that are a bare PEP 508 name-and-specifier
# are parsed here with ``packaging`` instead, and blanked in the text pip sees,
# so line numbers stay put; options, URLs, paths, ``${VAR}``, continuations and
# anything ``packaging`` rejects still go through pip's grammar and messages.
FAST_PATH = True
# Where a comment starts: "#" at the start or after whitespace. Searched, not substituted with
# pip's "(^|\s+)#.*$", which backtracks over every run of blanks (quadratic in a line of spaces).
_COMMENT_START = re.compile(r"(?:^|(?<=\s))#")
# Runs of blanks pip's own comment pattern would backtrack over: one blank is the same to pip.
_LONG_BLANKS = re.compile(r"[ \t]{32,}")
_NOT_PLAIN = re.compile(r"^-|\s-|[@$/\\:]|^\.")
_ARCHIVE = re.compile(r"\.(whl|zip|tar|tgz|tbz2?|txz|tlz|gz|bz2|xz|lz|lzma)\b", re.IGNORECASE)  # a file to pip


# ``name==1.2.3`` (the bulk of compiled files): a strict subset of PEP 440, no packaging call needed.
_EXACT_PIN = re.compile(
    r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*"
    r"([0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?)$"
)


class _PlainRequirement(NamedTuple):
    """The attributes of pip's ``InstallRequirement`` that ``_add`` reads, for a plain line."""

    name: str
    specifier: str
    marker: Any
    extras: frozenset[str]
    line_number: int
    line: str
    link: None = None
    is_editable: bool = False


def _plain(body: str, line_number: int, line: str) -> _PlainRequirement | None:
    pin = _EXACT_PIN.match(body)
    if pin:
        return _PlainRequirement(pin.group(1), f"=={pin.group(2)}", None, frozenset(), line_number, line)
    from packaging.requirements import InvalidRequirement, Requirement  # on first use: lean start-up

    try:
        requirement = Requirement(body)
    except InvalidRequirement:
        return None  # pip reports it, with its own message
    if requirement.url is not None:
        return None
    specifier = str(requirement.specifier)
    # pip's ``safe_extra``: runs of other characters become "_", lowercased.
    extras = frozenset(re.sub(r"[^A-Za-z0-9.-]+", "_", extra).lower() for extra in requirement.extras)
    return _PlainRequirement(requirement.name, specifier, requirement.marker, extras, line_number, line)


# str.splitlines() (which pip's parser uses) also breaks lines at these; LineIndex and
# every other resolver count "\n" only. Made spaces, both agree on every line number.
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _one_kind_of_line_break(text: str) -> str:
    return _OTHER_BREAKS.sub(" ", text) if _OTHER_BREAKS.search(text) else text


def _split_plain(text: str) -> tuple[list[_PlainRequirement], str]:
    """The plain requirement lines, and the text with those lines blanked for pip.

    A plain requirement continued only by ``--hash`` lines (``pip-compile
    --generate-hashes``) is plain too: the hashes pin artifacts, not the graph.
    """
    lines = text.split("\n")
    plain: list[_PlainRequirement] = []
    continued = False
    for n, raw in enumerate(lines):
        line = raw.rstrip("\r")
        previous, continued = continued, line.endswith("\\")
        if previous:
            continue
        hashes = _hash_lines(lines, n) if continued else 0
        if continued and not hashes:
            continue
        body = line[:-1] if continued else _without_comment(line)
        body = body.strip()
        if not body or _NOT_PLAIN.search(body) or _ARCHIVE.search(body) or (continued and "#" in body):
            continue
        found = _plain(body, n + 1, line)
        if found is not None:
            plain.append(found)
            lines[n : n + 1 + hashes] = [""] * (1 + hashes)
    return plain, "\n".join(lines)


# pip's parser has patterns that backtrack on a long line ("name[[[[..." costs seconds at 50 KB);
# a line it would read (not plain, continuations joined) is refused over this length.
MAX_PIP_LINE = 16 * 1024


# pip's extras pattern is quadratic in the "[" of a line (a real line has one pair).
MAX_PIP_BRACKETS = 64


def _check_long_lines(text: str, path: str) -> str:
    """``text`` unchanged, or a located error for the first logical line pip would read over the limits."""
    if text.count("[") > MAX_PIP_BRACKETS:
        for number, line in enumerate(text.split("\n"), 1):
            if line.count("[") > MAX_PIP_BRACKETS:
                raise InputError(path, number, f"more than {MAX_PIP_BRACKETS} '[' on one line: not a requirement")
    if len(text) <= MAX_PIP_LINE:
        return text
    start_line, length = 1, 0
    for number, line in enumerate(text.split("\n"), 1):
        if length == 0:
            start_line = number
        length += len(line)
        if length > MAX_PIP_LINE:
            limit = f"over the limit of {MAX_PIP_LINE} for a requirement or option line"
            raise InputError(path, start_line, f"line is {length}+ characters long, {limit}")
        if not line.endswith("\\"):
            length = 0
    return text


def _without_comment(line: str) -> str:
    if "#" not in line:
        return line
    found = _COMMENT_START.search(line)
    return line[: found.start()] if found else line


def _hash_lines(lines: list[str], first: int) -> int:
    """How many lines after ``first`` continue it with nothing but ``--hash`` options (0: something else)."""
    for count, raw in enumerate(lines[first + 1 :], start=1):
        line = raw.rstrip("\r")
        if not _HASH_LINE.fullmatch(line):
            return 0
        if not line.endswith("\\"):
            return count
    return 0  # the file ends inside the continuation: pip's message


# pip accepts these algorithms only; anything else is pip's error to report.
_HASH_LINE = re.compile(r"[ \t]*--hash[= ](?:sha256|sha384|sha512):[^\s\\#]+[ \t]*\\?")


def _prepare(text: str, path: str) -> tuple[str, list[Skipped]]:
    """What pip's (2022-vintage) parser should see, line numbers preserved.

    ``${VAR}`` lines are skipped, never expanded: an audit must not depend on
    (or print) the auditor's own environment, where tokens live. Per-requirement
    ``--config-settings``/``-C`` (pip 23.1+) is unknown to the vendored parser
    and says nothing about dependencies, so it is dropped.
    """
    if "${" not in text and "--config-settings" not in text and " -C" not in text:
        return text, []
    skipped: list[Skipped] = []
    lines = text.split("\n")
    index = LineIndex(text)
    for number, line in enumerate(lines):
        if _ENV_VAR.search(line) and not line.lstrip().startswith("#"):
            name = line.split("#", 1)[0].strip()
            skipped.append(
                Skipped(name, "uses an environment variable: not expanded", index.line_provenance(path, number + 1))
            )
            lines[number] = ""
        elif "--config-settings" in line or " -C" in line:
            lines[number] = _CONFIG_SETTINGS.sub("", line)
    return "\n".join(lines), skipped


class _Nothing(NamedTuple):
    """What pip's parser would say about a text of blank and comment lines (without importing it)."""

    requirements: tuple[()] = ()
    options: tuple[()] = ()
    invalid_lines: tuple[()] = ()


def _parse_text(text: str) -> Any:
    """pip's parser on what the fast path left; skipped (~70 ms of imports) when nothing is left."""
    if all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return _Nothing()
    from pip_requirements_parser import RequirementsFile

    return _parse_with(RequirementsFile, text)


def _parse_with(parser: Any, text: str) -> Any:
    """pip's parser reads files only (and 32.0.1's ``from_string`` is broken): use a private temp file."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="stack-auditor-") as folder:
        file = Path(folder) / "requirements.txt"
        file.write_text(text, encoding="utf-8")
        return parser.from_file(str(file), include_nested=False)


def _source_kind(requirement: Any) -> SourceKind:
    if requirement.is_editable:
        return "editable"
    link = requirement.link
    if link is None:
        return "registry"
    url = link.url
    if url.startswith(_VCS):
        return "vcs"
    if url.startswith("file:") or not re.match(r"^[a-z]+://", url):
        return "path"
    return "url"


def _one_line(message: str) -> str:
    """pip's and packaging's messages: first line, without the empty ``Invalid requirement: :`` prefix."""
    first = next((line.strip() for line in message.splitlines() if line.strip()), "not a requirement")
    return re.sub(r"^Invalid requirement:\s*:?\s*", "", first) or first


def _line_of(error: Exception) -> int:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else 0
