#!/usr/bin/env bash
# The Action's last step: the job fails on exit code 1 (findings at or above fail-on) or 2 (error).
#   SA_EXIT_CODE (the audit step's), SA_FAIL_ON
set -uo pipefail
case "${SA_EXIT_CODE:-}" in
  0) exit 0 ;;
  1) echo "::error::stack-auditor found problems at or above '$SA_FAIL_ON': see the job summary and the code scanning alerts"
     exit 1 ;;
  *) echo "::error::stack-auditor could not audit everything (exit code ${SA_EXIT_CODE:-none}): see the audit step's log"
     exit 2 ;;
esac
