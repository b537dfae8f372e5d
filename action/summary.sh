#!/usr/bin/env bash
# The Action's summary step: `audit --format markdown` appended to the job summary; never fails.
#   SA_BIN, SA_PATH, SA_PROFILE, SA_ARGS (see args.sh), SA_EXIT_CODE (the audit step's exit code)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "${SA_EXIT_CODE:-}" = 2 ]; then
  printf '> [!CAUTION]\n> stack-auditor could not audit everything (exit code 2): some inputs are missing from this report; the job log says which.\n\n' >>"$GITHUB_STEP_SUMMARY"
fi
if . "$here/args.sh"; then
  "$SA_BIN/stack-auditor" audit "$SA_PATH" "${sa_args[@]+"${sa_args[@]}"}" --format markdown --fail-on never -o - \
    >>"$GITHUB_STEP_SUMMARY"
  code=$?
  if [ "$code" -gt 1 ]; then echo "::warning::the Markdown summary may be incomplete (exit code $code)"; fi
fi
exit 0
