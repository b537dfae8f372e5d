"""The stack profiles that ship with stack-auditor (data, read by auditor.resources)."""
