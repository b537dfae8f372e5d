"""The rule files and the profile catalog that ship with stack-auditor (data, read by auditor.resources)."""
