#!/usr/bin/env bash
# Checks the few system packages the portal needs and names any that are missing.
set -uo pipefail
python="${1:-python3}"
missing=()
if ! "$python" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  missing+=("Python 3.11 (found: $("$python" --version 2>&1 || echo none))")
fi
"$python" -c 'import venv, ensurepip' 2>/dev/null || missing+=("python3-venv (the venv module with ensurepip)")
command -v node >/dev/null || missing+=("nodejs")
command -v npm >/dev/null || missing+=("npm")
# Read each listing whole before searching it: `grep -q` closing the pipe early would make the
# lister fail with SIGPIPE, and pipefail would count that as "missing".
libraries=$( (ldconfig -p || /sbin/ldconfig -p) 2>/dev/null)
grep -q 'libpango-1.0.so' <<<"$libraries" || missing+=("libpango-1.0-0 and libpangoft2-1.0-0 (WeasyPrint)")
fonts=$(fc-list 2>/dev/null)
grep -qi 'liberation' <<<"$fonts" || missing+=("fonts-liberation (the fonts PDFs use)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "LIS Portal needs these system packages, which are missing:" >&2
  for item in "${missing[@]}"; do echo "  - $item" >&2; done
  echo "On Debian or Ubuntu: sudo apt-get install python3.11-venv nodejs npm libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation" >&2
  exit 1
fi
