#!/bin/sh
# Builds a book with `briefing build` twice and checks its EPUB: EPUBCheck
# clean (0 errors, 0 warnings), byte-identical across builds, page-list
# equal to the PDF's page labels, and pandoc reads back the sources' text.
#
#   build-check.sh BRIEFING SOURCES_DIR
set -eu
exe=$1
src=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1551312000}

mkdir -p "$tmp/a" "$tmp/b"
timeout 240 "$exe" build "$src" -o "$tmp/a" -q
TZ=Asia/Ho_Chi_Minh timeout 240 "$exe" build "$src" -o "$tmp/b" -q
epub=$(ls "$tmp"/a/*.epub 2>/dev/null | head -n 1)
pdf=$(ls "$tmp"/a/*.pdf 2>/dev/null | head -n 1)
if [ -z "$epub" ] || [ -z "$pdf" ]; then
  echo "FAIL: briefing build wrote no EPUB and PDF:"; ls -l "$tmp/a"
  exit 1
fi
if ! cmp "$epub" "$tmp/b/$(basename "$epub")"; then
  echo "FAIL: two builds of $src gave different EPUBs"
  exit 1
fi
echo "ok two builds byte-identical ($(wc -c <"$epub") bytes)"
"$here/epubcheck.sh" "$epub"
python3 "$here/check_epub.py" "$epub" "$pdf" "$src"
