#!/usr/bin/env bash
# Refreshes specs/tasks from the @huggingface/tasks npm package.
# Usage: eng/sync-specs.sh [VERSION]   (default: the version in specs/tasks/VERSION)
# Only specs/tasks is rewritten; our own schemas live in specs/tasks-local and are never touched.
set -euo pipefail
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
target="$repo_root/specs/tasks"
version="${1:-$(cat "$target/VERSION" 2>/dev/null || true)}"
if [ -z "$version" ]; then
  echo "usage: $0 VERSION (for example 0.21.54)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@huggingface/tasks@$version" >/dev/null)
tar -xzf "$work"/huggingface-tasks-*.tgz -C "$work"
source_dir="$work/package/src/tasks"
[ -d "$source_dir" ] || { echo "no src/tasks in @huggingface/tasks@$version" >&2; exit 1; }

rm -rf "$target"
mkdir -p "$target"
cp "$source_dir/common-definitions.json" "$target/"
for spec_dir in "$source_dir"/*/spec; do
  task="$(basename "$(dirname "$spec_dir")")"
  # placeholder is upstream's template for new tasks, not a task.
  [ "$task" = "placeholder" ] && continue
  for kind in input output stream_output; do
    if [ -f "$spec_dir/$kind.json" ]; then
      mkdir -p "$target/$task"
      cp "$spec_dir/$kind.json" "$target/$task/$kind.json"
    fi
  done
done
echo "$version" > "$target/VERSION"
echo "specs/tasks now holds @huggingface/tasks@$version: $(find "$target" -name '*.json' | wc -l) schema files"
