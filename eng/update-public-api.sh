#!/usr/bin/env bash
# Rewrites each package's PublicAPI.Unshipped.txt from what the build reports as undeclared (RS0016),
# so that a change of the public surface (a spec sync included) shows up as a diff of these files.
# Usage: bash eng/update-public-api.sh   (then review `git diff -- '*PublicAPI*.txt'`)
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/Client src/Testing; do
  unshipped="$project/PublicAPI.Unshipped.txt"
  printf '#nullable enable\n' > "$unshipped"
  log="$(mktemp)"
  # RS0016 fails the normal build; here every report of it is collected (the build "fails" on purpose).
  dotnet build "$project" --no-incremental -v q > "$log" 2>&1 || true
  { printf '#nullable enable\n'
    grep -oE "(warning|error) RS0016: Symbol '.*' is not part of the declared public API" "$log" \
      | sed -E -e "s/^(warning|error) RS0016: Symbol '//" -e "s/' is not part of the declared public API\$//" \
      | LC_ALL=C sort -u
  } > "$unshipped"
  echo "$unshipped: $(($(wc -l < "$unshipped") - 1)) entries"
  rm -f "$log"
done
