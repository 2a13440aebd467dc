#!/usr/bin/env bash
# Packs the packable libraries (and the hechunk tool, when its project exists) into artifacts/packages, the package
# source of the notebooks (docs/notebooks.md) and of anyone who wants the packages.
#
# Every run gets its own version, <Version of Directory.Build.props>-local.<UTC timestamp>, and the folder is emptied
# first, so it holds exactly one build and a notebook's floating reference (#r "nuget: MLNet.HeChunk, *-*") can only
# resolve to the build just made, never to an older one from the folder or the NuGet cache. Earlier local builds of
# these ids are also removed from the NuGet cache, which would otherwise grow by one copy per run.
#
# Usage: scripts/pack.sh            prints the version on its last line
#        PACK_VERSION=1.2.3 scripts/pack.sh   packs an explicit version instead
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=artifacts/packages
ids=(MLNet.HeChunk.Ckks MLNet.HeChunk MLNet.HeChunk.Datasets MLNet.HeChunk.Service.Contracts MLNet.HeChunk.Server MLNet.HeChunk.Client)
projects=(src/MLNet.HeChunk.Ckks src/MLNet.HeChunk src/MLNet.HeChunk.Datasets src/MLNet.HeChunk.Service.Contracts src/MLNet.HeChunk.Server src/MLNet.HeChunk.Client)
if [[ -f src/MLNet.HeChunk.Cli/MLNet.HeChunk.Cli.csproj ]]; then
  projects+=(src/MLNet.HeChunk.Cli)
  ids+=("$(sed -n 's:.*<PackageId>\(.*\)</PackageId>.*:\1:p' src/MLNet.HeChunk.Cli/MLNet.HeChunk.Cli.csproj | head -1)")
  [[ -n "${ids[-1]}" ]] || ids[-1]=MLNet.HeChunk.Cli
fi

prefix=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
version=${PACK_VERSION:-${prefix:-0.1.0}-local.$(date -u +%Y%m%d%H%M%S)}

rm -rf "$out"
mkdir -p "$out"
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
for id in "${ids[@]}"; do
  lower=$(tr '[:upper:]' '[:lower:]' <<<"$id")
  rm -rf "$cache/$lower/"*-local.* 2>/dev/null || true
done

# Builds go to artifacts/pack (bin/obj of their own), so packing never touches or races with src/*/bin and obj.
failed=0
for project in "${projects[@]}"; do
  echo "pack: $project $version" >&2
  if ! dotnet pack "$project" -c Release -o "$out" --artifacts-path artifacts/pack -p:Version="$version" \
      -p:ContinuousIntegrationBuild=true --nologo -v quiet -clp:ErrorsOnly >&2; then
    echo "pack: FAILED $project" >&2
    failed=1
  fi
done

ls "$out" >&2
echo "$version"
exit $failed
