#!/usr/bin/env bash
# The Action's install step: stack-auditor in a venv of its own under RUNNER_TEMP, so the caller's
# Python (and its packages) is left as it was. Writes `bin=<venv>/bin` to GITHUB_OUTPUT.
#   SA_PYTHON       the interpreter setup-python provided (it does not touch the job's PATH)
#   SA_VERSION      a pip requirement (e.g. stack-auditor==0.2.0 or git+https://...@<sha>);
#                   empty installs the Action's own checkout, the ref named in `uses:`
#   SA_ACTION_PATH  that checkout
#   SA_PIP_CACHE    pip's cache folder (restored and saved by actions/cache)
set -euo pipefail
venv="${RUNNER_TEMP:?}/stack-auditor-venv"
"$SA_PYTHON" -m venv "$venv"
requirement="${SA_VERSION:-$SA_ACTION_PATH}"
"$venv/bin/python" -m pip install --disable-pip-version-check --cache-dir "${SA_PIP_CACHE:?}" "$requirement"
"$venv/bin/stack-auditor" --version
echo "bin=$venv/bin" >>"$GITHUB_OUTPUT"
