#!/usr/bin/env bash
# Security scan of stack-auditor itself (CI and local).
#
# 1. bandit over auditor/: always; fails on any finding of medium severity or above
#    (low-severity findings are printed, not fatal; a `# nosec BXXX  reason` needs a reason).
# 2. pip-audit over the project's own dependencies: only when its vulnerability
#    service is reachable. pip-audit has no offline database: without network it
#    reports every package as "not found on PyPI" (exit 0 unless --strict), which
#    would read as a clean result. So we probe first and say clearly when it is skipped.
#    Set SECURITY_SCAN_REQUIRE_NETWORK=1 (e.g. in CI that has network) to fail instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
status=0

echo "== bandit (auditor/, severity >= medium)"
if ! python -m bandit --version >/dev/null 2>&1; then
  echo "bandit is not installed: pip install bandit" >&2
  exit 2
fi
python -m bandit -q -r auditor -c pyproject.toml --severity-level medium || status=1

echo "== pip-audit (project dependencies)"
if python - <<'PY'
import socket, sys
for host in ("api.osv.dev",):
    try:
        socket.create_connection((host, 443), timeout=5).close()
    except OSError:
        sys.exit(1)
PY
then
  if ! python -m pip_audit --version >/dev/null 2>&1; then
    echo "pip-audit is not installed: pip install pip-audit" >&2
    exit 2
  fi
  # The installed environment (what CI just installed from pyproject.toml), checked against OSV;
  # --strict: a dependency that cannot be audited is a failure, not a silent skip.
  python -m pip_audit --strict --local --vulnerability-service osv --progress-spinner off || status=1
else
  echo "pip-audit SKIPPED: its vulnerability service (OSV) is unreachable (no network)."
  echo "  pip-audit needs its vulnerability service; offline it cannot audit anything."
  if [[ "${SECURITY_SCAN_REQUIRE_NETWORK:-0}" == "1" ]]; then
    echo "  SECURITY_SCAN_REQUIRE_NETWORK=1: failing." >&2
    status=1
  fi
fi
exit "$status"
