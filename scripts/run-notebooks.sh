#!/usr/bin/env bash
# Runs every notebook in notebooks/ headless, the way CI does, against freshly packed packages:
#   dotnet tool restore (dotnet-repl, from .config/dotnet-tools.json) -> scripts/pack.sh -> dotnet repl per notebook.
# Prints one line per notebook (passed, or failed with the first failing cell and its error) and exits non-zero
# when packing failed or any cell of any notebook failed. The full results (every cell's output) are left in
# artifacts/notebooks/<name>.trx.
#
# Usage: scripts/run-notebooks.sh [NAME ...]      NAME: a notebook's file name, with or without .ipynb; default all
# Environment: SKIP_PACK=1 reuses artifacts/packages as it is; NOTEBOOK_TIMEOUT (seconds, default 1200) per notebook.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
started=$(date +%s)
status=0

dotnet tool restore >/dev/null || { echo "notebooks: dotnet tool restore failed" >&2; exit 1; }

if [[ "${SKIP_PACK:-0}" != 1 ]]; then
  if ! version=$(scripts/pack.sh); then
    echo "notebooks: packing failed (see the errors above); notebooks that need the missing package will fail"
    status=1
  fi
  echo "notebooks: packages ${version:-?} in artifacts/packages"
fi

notebooks=()
if (($# > 0)); then
  for name in "$@"; do notebooks+=("notebooks/${name%.ipynb}.ipynb"); done
else
  notebooks=(notebooks/*.ipynb)
fi

results=artifacts/notebooks
mkdir -p "$results"
for notebook in "${notebooks[@]}"; do
  name=$(basename "$notebook" .ipynb)
  trx="$PWD/$results/$name.trx"
  rm -f "$trx"
  if [[ ! -f "$notebook" ]]; then
    echo "notebook $name: FAILED: no such file $notebook"
    status=1
    continue
  fi
  t0=$(date +%s)
  # Run from notebooks/: the notebooks find ../artifacts/packages relative to their own folder, as in VS Code.
  (cd "$(dirname "$notebook")" && timeout "${NOTEBOOK_TIMEOUT:-1200}" dotnet repl --run "$(basename "$notebook")" \
      --exit-after-run --output-format trx --output-path "$trx" </dev/null >/dev/null 2>"$trx.stderr")
  rc=$?
  seconds=$(($(date +%s) - t0))
  if [[ ! -s "$trx" ]]; then
    echo "notebook $name: FAILED in ${seconds} s: dotnet repl exited with $rc and wrote no results ($(tail -n 1 "$trx.stderr" 2>/dev/null))"
    status=1
    continue
  fi
  # The trx holds one UnitTestResult per cell; report the counts and the first failed cell with its error message.
  summary=$(perl -0777 -ne '
    my %entity = (lt => "<", gt => ">", amp => "&", quot => "\"", apos => "\x27");
    sub text { my $s = shift; $s =~ s/&(lt|gt|amp|quot|apos);/$entity{$1}/g; $s =~ s/&#x([0-9a-fA-F]+);/chr(hex $1)/ge; $s }
    my ($total, $failed) = (0, 0); my $first = "";
    while (/<UnitTestResult\b([^>]*)>(.*?)<\/UnitTestResult>/sg) {
      my ($attributes, $body) = ($1, $2);
      $total++;
      next unless $attributes =~ /outcome="Failed"/;
      $failed++;
      next if $first;
      my ($cell) = $attributes =~ /testName="([^"]*)"/;
      $cell = text($cell); $cell =~ s/\s+/ /g;
      my ($message) = $body =~ /<Message>(.*?)<\/Message>/s;
      $message = defined $message ? text($message) : "no error message (the cell failed without one; see the trx)";
      my @lines = grep { /\S/ && !/^\s+at / && !/^--- End of/ } split /\r?\n/, $message;
      $first = "$cell: " . join(" | ", @lines[0 .. ($#lines < 2 ? $#lines : 2)]);
    }
    print "$total\t$failed\t$first";' "$trx")
  IFS=$'\t' read -r cells failed first <<<"$summary"
  if [[ $rc -eq 0 && "${failed:-1}" -eq 0 ]]; then
    echo "notebook $name: passed, ${cells} cells in ${seconds} s"
  elif [[ $rc -eq 124 ]]; then
    echo "notebook $name: FAILED: timed out after ${seconds} s"
    status=1
  else
    echo "notebook $name: FAILED in ${seconds} s, ${failed:-?} of ${cells:-?} cells failed; first: ${first:-dotnet repl exited with $rc}"
    status=1
  fi
done

if [[ $status -eq 0 ]]; then verdict="all passed"; else verdict="FAILED"; fi
[[ "${SKIP_PACK:-0}" == 1 ]] && packing="" || packing=" (packing included)"
echo "notebooks: $verdict, $(($(date +%s) - started)) s in all$packing; results in $results/"
exit $status
