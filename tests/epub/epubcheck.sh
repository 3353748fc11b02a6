#!/bin/sh
# Runs EPUBCheck on an EPUB and fails unless it reports 0 errors AND 0
# warnings (fatal errors included).
#
#   epubcheck.sh FILE.epub
#   epubcheck.sh --sample TEST_EPUB [sample|stress|empty]
#                       writes one of the unit test's books first
set -eu
jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
if [ ! -f "$jar" ]; then
  echo "epubcheck not installed ($jar): skipping"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$1" = "--sample" ]; then
  file="$tmp/sample.epub"
  "$2" --write "$file" "${3:-sample}"
else
  file=$1
fi
out="$tmp/report.txt"
status=0
java -jar "$jar" "$file" >"$out" 2>&1 || status=$?
cat "$out"
# The summary line reads "Messages: 0 fatals / 0 errors / 0 warnings / N infos";
# older versions say "No errors or warnings detected".
if grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$out" \
   || grep -q "No errors or warnings detected" "$out"; then
  if grep -qE "^(ERROR|WARNING|FATAL)" "$out"; then
    echo "FAIL: EPUBCheck messages in $file"
    exit 1
  fi
  [ "$status" -eq 0 ] || { echo "FAIL: EPUBCheck exit status $status"; exit 1; }
  echo "PASS: EPUBCheck clean: $file"
  exit 0
fi
echo "FAIL: EPUBCheck reported problems in $file"
exit 1
