#!/usr/bin/env bash
# Makes docs/images/review-2025-06.png: the agenda of the example's June 2025
# BA review as headless Chromium shows it, the picture docs/reports.md and the
# README show. Works on a copy of the example (the example's own database is
# not touched) after the README's first command's steps. Needs build/zielwerk
# (scripts/setup.sh) and Chromium (installed by setup.sh too).
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r examples/me-aktiv-2025 "$work/project"
rm -f "$work/project"/zielwerk.db*

zielwerk=./build/zielwerk
$zielwerk import --project "$work/project" --actor controlling-jc "$work"/project/data/*.csv >/dev/null
$zielwerk run --project "$work/project" --actor zielwerk-dienst --now 2025-07-03T10:00 >/dev/null
$zielwerk report review --project "$work/project" ba-zielnachhaltedialog/2025-06 \
  --output "$work/review.html"

mkdir -p docs/images
HOME="$work" chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1000,1900 \
  --screenshot="$PWD/docs/images/review-2025-06.png" "file://$work/review.html" 2>/dev/null
echo "wrote docs/images/review-2025-06.png"
