# Sourced by audit.sh and summary.sh: the arguments both audits share, from the Action's inputs.
#   SA_BIN       bin folder of the venv the Action installed stack-auditor into
#   SA_PROFILE   --profile, when not empty
#   SA_ARGS      extra arguments, split as a shell would (quotes honoured) but never evaluated:
#                Python's shlex.split does the splitting, so `$(...)`, `;` and globs stay text
# Fills the array sa_args; returns 2 when SA_ARGS is not valid shell words (an unclosed quote).
sa_args=()
if [ -n "${SA_PROFILE:-}" ]; then sa_args+=(--profile "$SA_PROFILE"); fi
if [ -n "${SA_ARGS:-}" ]; then
  sa_words="$(mktemp)"
  if ! "$SA_BIN/python" -c 'import shlex, sys; sys.stdout.write("".join(w + "\0" for w in shlex.split(sys.argv[1])))' \
      "$SA_ARGS" >"$sa_words" 2>/dev/null; then
    rm -f "$sa_words"
    echo "::error::the 'args' input is not a valid shell word list (an unclosed quote?)"
    return 2
  fi
  while IFS= read -r -d '' sa_word; do sa_args+=("$sa_word"); done <"$sa_words"
  rm -f "$sa_words"
fi
return 0
