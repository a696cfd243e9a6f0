#!/usr/bin/env bash
# Re-applies the non-generated parts of the feature namespaces (docs/namespaces.md) after other changes:
# the public API baseline, the usings of samples/, docs/ and the README's code blocks, and a report of the
# test and benchmark projects that do not import eng/FeatureNamespaces.props (add the Import line by hand).
# Usage: bash eng/apply-feature-namespaces.sh   (then review git diff)
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/update-public-api.sh
python3 eng/feature-usings.py samples docs README.md
missing=0
for project in $(find tests bench -name '*.csproj' -not -path '*/obj/*' -not -path '*/bin/*' | sort); do
  case "$project" in tests/Generator.Tests/*) continue ;; esac   # compiles the generator, not the library
  if ! grep -q 'FeatureNamespaces.props' "$project"; then
    echo "lacks <Import Project=\"\$(MSBuildThisFileDirectory)$(dirname "$project" | sed -E 's#[^/]+#..#g')/eng/FeatureNamespaces.props\" />: $project"
    missing=1
  fi
done
exit $missing
