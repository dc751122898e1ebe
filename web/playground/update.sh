#!/usr/bin/env bash
# Re-fetches the GraphiQL playground's third-party browser builds from the npm
# registry (npm pack verifies each tarball against the registry's integrity
# hash), copies the files the page loads into assets/ with their licences, and
# rewrites assets/SHA256SUMS, which playground_test.go checks against the
# embedded files. Versions are pinned here; change them, run this script,
# then `go test ./web/...` (which validates the example queries too).
#
#   web/playground/update.sh
set -euo pipefail
cd "$(dirname "$0")"

GRAPHIQL=3.9.0   # last major with a UMD build (graphiql.min.js); 4+ ships ESM only
REACT=18.3.1     # last major with umd/*.production.min.js builds

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "graphiql@$GRAPHIQL" "react@$REACT" "react-dom@$REACT" >/dev/null)
for pkg in "graphiql-$GRAPHIQL" "react-$REACT" "react-dom-$REACT"; do
  mkdir -p "$work/$pkg"
  tar -xzf "$work/$pkg.tgz" -C "$work/$pkg"
done

out=assets
cp "$work/graphiql-$GRAPHIQL/package/graphiql.min.js" "$out/graphiql.min.js"
cp "$work/graphiql-$GRAPHIQL/package/graphiql.min.css" "$out/graphiql.min.css"
cp "$work/react-$REACT/package/umd/react.production.min.js" "$out/react.production.min.js"
cp "$work/react-dom-$REACT/package/umd/react-dom.production.min.js" "$out/react-dom.production.min.js"
cp "$work/graphiql-$GRAPHIQL/package/LICENSE" "$out/LICENSE.graphiql"
cp "$work/react-$REACT/package/LICENSE" "$out/LICENSE.react"
cp "$work/react-dom-$REACT/package/LICENSE" "$out/LICENSE.react-dom"
# The source map comment points at a file we do not ship.
sed -i '/^\/\/# sourceMappingURL=/d' "$out/graphiql.min.js"

(cd "$out" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js \
  LICENSE.graphiql LICENSE.react LICENSE.react-dom > SHA256SUMS)
printf 'graphiql %s, react %s, react-dom %s\n' "$GRAPHIQL" "$REACT" "$REACT" > "$out/VERSIONS"
echo "updated web/playground/assets: $(cat "$out/VERSIONS")"
