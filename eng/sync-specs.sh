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

# The TGI and TEI servers' OpenAPI documents, from their public repositories at a pinned commit
# (bump the commit to re-sync; the generator embeds these files for ITextGenerationInferenceApi and
# ITextEmbeddingsInferenceApi, and HFGEN013 reports a copy that differs from the embedded one).
#   huggingface/text-generation-inference  docs/openapi.json @ db931fcf42da018a3657580c64bf2720f167f9ab (v3.3.6-dev0)
#   huggingface/text-embeddings-inference  docs/openapi.json @ 0d124dc9773be6ac5a9a57d8439aba9bbbf33273 (v1.9.3)
tgi_commit="${TGI_COMMIT:-db931fcf42da018a3657580c64bf2720f167f9ab}"
tei_commit="${TEI_COMMIT:-0d124dc9773be6ac5a9a57d8439aba9bbbf33273}"
curl -fsSL "https://raw.githubusercontent.com/huggingface/text-generation-inference/$tgi_commit/docs/openapi.json" -o "$repo_root/specs/tgi-openapi.json"
curl -fsSL "https://raw.githubusercontent.com/huggingface/text-embeddings-inference/$tei_commit/docs/openapi.json" -o "$repo_root/specs/tei-openapi.json"
echo "specs/tgi-openapi.json @ $tgi_commit, specs/tei-openapi.json @ $tei_commit"
