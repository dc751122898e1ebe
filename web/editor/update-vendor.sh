#!/usr/bin/env bash
# Refreshes the third-party files under web/editor/assets/vendor and
# web/openapi/assets/vendor from the npm registry. Change a version below,
# run this script, then record the new versions in web/editor/README.md and
# web/openapi/README.md and run `go test ./web/...` (which checks that no
# bundled file loads anything from another origin).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

YASGUI_VERSION=4.6.2        # @zazuko/yasgui, MIT
CHARTJS_VERSION=4.6.1       # chart.js, MIT
SWAGGER_UI_VERSION=5.35.0   # swagger-ui-dist, Apache-2.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
  "@zazuko/yasgui@$YASGUI_VERSION" "chart.js@$CHARTJS_VERSION" "swagger-ui-dist@$SWAGGER_UI_VERSION"

m=node_modules
ed=$root/web/editor/assets/vendor
api=$root/web/openapi/assets/vendor
mkdir -p "$ed" "$api"
cp $m/@zazuko/yasgui/build/yasgui.min.js $m/@zazuko/yasgui/build/yasgui.min.css "$ed/"
cp $m/chart.js/dist/chart.umd.min.js "$ed/"
cp $m/chart.js/LICENSE.md "$ed/chart.js.LICENSE.md"
cp $m/swagger-ui-dist/swagger-ui-bundle.js $m/swagger-ui-dist/swagger-ui.css "$api/"
cp $m/swagger-ui-dist/LICENSE "$api/swagger-ui.LICENSE"
cp $m/swagger-ui-dist/NOTICE "$api/swagger-ui.NOTICE"
cp $m/swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt "$api/"
# The source-map comment would make browsers ask for a file we do not ship.
sed -i '/^\/\/# sourceMappingURL=/d' "$ed"/*.js "$api"/*.js
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' "$ed"/*.css "$api"/*.css
ls -l "$ed" "$api"
