#!/usr/bin/env bash
# Install stack-auditor the ways users do and check that each install works from outside the checkout.
#
#   wheel          python -m build, then pip install dist/*.whl into a fresh venv
#   sdist          pip install dist/*.tar.gz into a fresh venv (builds the wheel from the sdist)
#   lowest-direct  uv pip install --resolution lowest-direct: every dependency at its pyproject floor
#   pipx           pipx install of the wheel
#   git URL        pip install git+file://<checkout>, as pip install git+https://... installs it
#   action         action/install.sh, the composite Action's own install step
#   pre-commit     pre-commit try-repo <checkout>, which builds the hook's own venv
#
# Each venv, from a folder outside the checkout, audits a copy of examples/fastapi-on-django (exit 1,
# exactly one finding: django-monolith/fastapi-on-top-of-django, an error) and runs `profiles list` and
# `rules list` (as many profiles and rules as the checkout ships). Needs the package registry; run by
# .ci/run. Usage: scripts/check-installs.sh [PYTHON]   (default: python)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${1:-python}"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-auditor-installs.XXXXXX")"
trap 'rm -rf "$work"' EXIT

say() { printf '== %s\n' "$*"; }
fail() { printf 'check-installs: %s\n' "$*" >&2; exit 1; }
quietly() {  # run a command, its output shown only when it fails
  "$@" >"$work/step.log" 2>&1 || { cat "$work/step.log" >&2; fail "failed: $*"; }
}

say "build sdist and wheel"
quietly "$python" -m build --outdir "$work/dist" "$root"
wheel="$(ls "$work"/dist/*.whl)"
sdist="$(ls "$work"/dist/*.tar.gz)"
unzip -l "$wheel" | grep -q "dist-info/licenses/LICENSE" || fail "the wheel does not ship LICENSE"

# What the checkout ships: the counts every install must reproduce.
expected_profiles="$(ls "$root"/profiles/*.json | wc -l)"
expected_rules="$(cd "$root" && "$python" -m auditor rules list | wc -l)"

outside="$work/outside"
mkdir -p "$outside"
cp -r "$root/examples/fastapi-on-django" "$outside/project"

smoke() {  # smoke NAME VENV: the audit, profiles list and rules list of one install
  local name="$1" bin="$2/bin"
  say "$name: audit, profiles list, rules list (from $outside)"
  local module
  module="$(cd "$outside" && "$bin/python" -c 'import auditor; print(auditor.__file__)')"
  [[ "$module" == "$2"/* ]] || fail "$name: auditor imported from $module, not from the install"
  local code=0
  (cd "$outside" && "$bin/stack-auditor" audit project --format json -o "$work/$name.json") || code=$?
  [[ "$code" == 1 ]] || fail "$name: audit exited $code, expected 1 (findings)"
  "$bin/python" - "$work/$name.json" <<'PY' || fail "$name: unexpected audit report"
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
findings = [f for p in report["projects"] for f in p["findings"]]
assert report["summary"]["findings"] == {"error": 1, "warning": 0, "note": 0}, report["summary"]
assert [f["rule_id"] for f in findings] == ["django-monolith/fastapi-on-top-of-django"], findings
assert findings[0]["location"]["file"] == "pyproject.toml", findings[0]["location"]
PY
  local profiles rules
  profiles="$(cd "$outside" && "$bin/stack-auditor" profiles list | wc -l)"
  rules="$(cd "$outside" && "$bin/stack-auditor" rules list | wc -l)"
  [[ "$profiles" == "$expected_profiles" ]] || fail "$name: profiles list gave $profiles, expected $expected_profiles"
  [[ "$rules" == "$expected_rules" ]] || fail "$name: rules list gave $rules, expected $expected_rules"
  for command in "--help" "audit --help" "profiles --help"; do
    # shellcheck disable=SC2086  # the command words are split on purpose
    (cd "$outside" && "$bin/stack-auditor" $command) >"$work/help.txt" 2>&1 || { cat "$work/help.txt"; fail "$name: $command failed"; }
    grep -q "Usage:" "$work/help.txt" || fail "$name: $command printed no usage"
  done
  echo "$name: ok (1 error finding, $profiles profiles, $rules rules, help renders)"
}

say "wheel: fresh venv"
"$python" -m venv "$work/wheel-venv"
quietly "$work/wheel-venv/bin/python" -m pip install "$wheel"
smoke wheel "$work/wheel-venv"

say "sdist: fresh venv"
"$python" -m venv "$work/sdist-venv"
quietly "$work/sdist-venv/bin/python" -m pip install "$sdist"
smoke sdist "$work/sdist-venv"

say "lowest-direct: fresh venv, every dependency at its floor"
# lowest-direct lowers only the requirements named on the command line: name the dependencies
# themselves (from pyproject.toml), then add the wheel without letting it raise any of them.
lowest="$work/lowest-venv/bin/python"
quietly "$python" -m uv venv --python "$python" "$work/lowest-venv"
quietly "$python" -m uv pip install --python "$lowest" --resolution lowest-direct -r "$root/pyproject.toml"
quietly "$python" -m uv pip install --python "$lowest" --no-deps "$wheel"
"$lowest" - "$root/pyproject.toml" <<'PY' || fail "lowest-direct: a dependency is not at its floor"
import sys
from importlib.metadata import version

import tomli
from packaging.requirements import Requirement
from packaging.version import Version

with open(sys.argv[1], "rb") as file:
    dependencies = tomli.load(file)["project"]["dependencies"]
for text in dependencies:
    requirement = Requirement(text)
    floor = next(spec.version for spec in requirement.specifier if spec.operator == ">=")
    installed = version(requirement.name)
    assert Version(installed) == Version(floor), f"{requirement.name}: {installed} installed, floor {floor}"
    print(f"  {requirement.name} {installed} (floor)")
PY
smoke lowest-direct "$work/lowest-venv"

say "pipx: pipx install of the wheel"
"$python" -m venv "$work/pipx-tool"
quietly "$work/pipx-tool/bin/python" -m pip install pipx
quietly env PIPX_HOME="$work/pipx-home" PIPX_BIN_DIR="$work/pipx-bin" "$work/pipx-tool/bin/pipx" install "$wheel"
smoke pipx "$work/pipx-home/venvs/stack-auditor"

say "git URL: pip install git+file://<checkout> into a fresh venv (what pip install git+https://... does)"
if git -C "$root" rev-parse --verify -q HEAD >/dev/null && [[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ]]; then
  "$python" -m venv "$work/git-venv"
  quietly "$work/git-venv/bin/python" -m pip install "git+file://$root"
  smoke git-url "$work/git-venv"
else
  echo "git URL: skipped, the checkout has uncommitted changes (pip would install the last commit, not them)"
fi

say "action: action/install.sh, as the composite Action runs it (a venv of its own under RUNNER_TEMP)"
mkdir -p "$work/runner-temp"
quietly env RUNNER_TEMP="$work/runner-temp" GITHUB_OUTPUT="$work/action-output" SA_PYTHON="$(command -v "$python")" \
  SA_VERSION="" SA_ACTION_PATH="$root" SA_PIP_CACHE="$work/pip-cache" bash "$root/action/install.sh"
grep -qx "bin=$work/runner-temp/stack-auditor-venv/bin" "$work/action-output" || fail "action: no bin output"
smoke action "$work/runner-temp/stack-auditor-venv"
# The audit step's script with the CLI the install step installed: findings (exit 1) leave the step
# green, with the SARIF written under its codeql-action category.
cp -r "$root/examples/fastapi-on-django" "$work/action-workspace"
(cd "$work/action-workspace" && env GITHUB_OUTPUT="$work/audit-output" SA_BIN="$work/runner-temp/stack-auditor-venv/bin" \
  SA_PATH=. SA_PROFILE="" SA_FAIL_ON=error SA_CATEGORY=api SA_SARIF_FILE=stack-auditor.sarif SA_ARGS="--exclude 'no such/*'" \
  bash "$root/action/audit.sh") >"$work/audit-step.log" 2>&1 || { cat "$work/audit-step.log"; fail "action: audit step failed"; }
grep -qx "exit-code=1" "$work/audit-output" || fail "action: audit step exit-code is not 1"
grep -qx "sarif-written=true" "$work/audit-output" || fail "action: no SARIF written"
"$python" -c 'import json, sys; assert json.load(open(sys.argv[1]))["runs"][0]["automationDetails"]["id"] == "api/"' \
  "$work/action-workspace/stack-auditor.sarif" || fail "action: category is not written as api/"
echo "action: audit step ok (exit-code 1, SARIF with category api/)"

say "pre-commit: try-repo of this checkout (pre-commit builds the hook's venv from it)"
hookrepo="$work/hook-repo"
mkdir -p "$hookrepo"
git -C "$hookrepo" init -q
git -C "$hookrepo" -c user.email=ci@example.invalid -c user.name=ci commit -q --allow-empty -m start
try_repo() {  # try_repo EXPECTED_CODE: run the hook on what is staged
  local code=0
  (cd "$hookrepo" && PRE_COMMIT_HOME="$work/pre-commit-home" "$python" -m pre_commit try-repo "$root" stack-auditor) \
    >"$work/hook.log" 2>&1 || code=$?
  [[ "$code" == "$1" ]] || { cat "$work/hook.log"; fail "pre-commit: exit $code, expected $1"; }
}
printf 'django==5.2.1\nfastapi==0.115.0\n' >"$hookrepo/requirements.txt"
git -C "$hookrepo" add requirements.txt
try_repo 1
grep -q "django-monolith/fastapi-on-top-of-django" "$work/hook.log" || fail "pre-commit: the finding is not reported"
printf 'django==5.2.1\n' >"$hookrepo/requirements.txt"
git -C "$hookrepo" add requirements.txt
try_repo 0
echo "pre-commit: ok (fails on Django+FastAPI, passes on Django alone)"

say "all installs ok"
