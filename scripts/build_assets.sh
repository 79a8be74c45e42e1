#!/usr/bin/env bash
# Build the front-end assets into static/build/ (git-ignored), which Django serves as
# /static/build/... through STATICFILES_DIRS = [static/].
#
#   static/build/css/main.css                  static/src/main.scss compiled with GOV.UK Frontend
#   static/build/js/govuk-frontend.min.js      GOV.UK Frontend's components (an ES module), + .map
#   static/build/js/htmx.min.js                htmx
#   static/build/govuk/assets/images/...       the GOV.UK Frontend images main.css refers to
#
# Run from the repository root. Safe to run again: it installs node_modules only when they are
# missing or older than package-lock.json, and rewrites the outputs each time.
# No fonts are copied: the portal uses Arial (GDS Transport is for GOV.UK only).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
    npm ci --no-audit --no-fund --ignore-scripts
    # --ignore-scripts: nothing here needs an install script (sass is plain JavaScript; its
    # optional file watcher is only for `sass --watch`). npm ci may leave the directory's own
    # time alone, so mark it as fresh for the test above.
    touch node_modules
fi

govuk=node_modules/govuk-frontend/dist/govuk
out=static/build

mkdir -p "$out/css" "$out/js" "$out/govuk/assets"

node_modules/.bin/sass \
    --load-path=node_modules \
    --style=compressed \
    --no-source-map \
    static/src/main.scss "$out/css/main.css"

# The source map goes too: the script names it, and ManifestStaticFilesStorage (production's
# collectstatic) refuses a sourceMappingURL whose file is missing.
cp "$govuk/govuk-frontend.min.js" "$govuk/govuk-frontend.min.js.map" "$out/js/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/js/htmx.min.js"

# Copy exactly the images the compiled CSS refers to, and nothing else (in particular no
# fonts and none of the GOV.UK crown icons, which are for GOV.UK only).
rm -rf "$out/govuk/assets"
mkdir -p "$out/govuk/assets"
assets_url=/static/build/govuk/assets/
grep -o "url(\"\?${assets_url}[^\")]*" "$out/css/main.css" \
    | sed -e "s|^url(\"\?${assets_url}||" \
    | sort -u \
    | while read -r asset; do
        mkdir -p "$out/govuk/assets/$(dirname "$asset")"
        cp "$govuk/assets/$asset" "$out/govuk/assets/$asset"
    done

echo "Built front-end assets in $out/"
