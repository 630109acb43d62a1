#!/bin/sh
# Reproduce the vendored Chart.js (no CDN): the npm package's UMD build, minus its source-map
# comment (collectstatic's manifest storage fails on the .map that is not shipped), then its checksum.
# Run from anywhere: sh static/vendor/chart.js/fetch.sh
set -eu
VERSION=4.6.1
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "chart.js@$VERSION" >/dev/null
tar -xzf "chart.js-$VERSION.tgz"
sed '/^\/\/# sourceMappingURL=/d' package/dist/chart.umd.min.js >"$HERE/chart.umd.min.js"
cd "$HERE"
sha256sum chart.umd.min.js >SHA256SUMS
echo "chart.js $VERSION -> $HERE/chart.umd.min.js"
cat SHA256SUMS
