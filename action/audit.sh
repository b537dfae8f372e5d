#!/usr/bin/env bash
# The Action's audit step: the SARIF report, and the exit code as an output. It does not fail the
# step: the upload and the summary run first (a partial SARIF from exit 2 is uploaded too), and
# conclude.sh fails the job last.
#   SA_BIN, SA_PATH, SA_PROFILE, SA_ARGS (see args.sh), SA_FAIL_ON, SA_CATEGORY, SA_SARIF_FILE
# Outputs: sarif-file, exit-code (0 clean, 1 findings at or above fail-on, 2 error),
#          sarif-written (true when there is a SARIF file to upload).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
echo "sarif-file=$SA_SARIF_FILE" >>"$GITHUB_OUTPUT"
rm -f "$SA_SARIF_FILE"
code=0
if . "$here/args.sh"; then
  options=(--format sarif -o "$SA_SARIF_FILE" --fail-on "$SA_FAIL_ON")
  # The CLI writes the id as codeql-action does: the category with a trailing "/".
  if [ -n "$SA_CATEGORY" ]; then options+=(--category "$SA_CATEGORY"); fi
  # The Action's own options come last: for an option given twice the last one wins, so `args`
  # cannot turn the SARIF into another format or send it elsewhere.
  "$SA_BIN/stack-auditor" audit "$SA_PATH" "${sa_args[@]+"${sa_args[@]}"}" "${options[@]}" || code=$?
else
  code=2
fi
echo "exit-code=$code" >>"$GITHUB_OUTPUT"
if [ -f "$SA_SARIF_FILE" ]; then written=true; else written=false; fi
echo "sarif-written=$written" >>"$GITHUB_OUTPUT"
if [ "$code" -gt 1 ]; then
  echo "::error::stack-auditor could not audit everything (exit code $code): see the messages above"
fi
exit 0
