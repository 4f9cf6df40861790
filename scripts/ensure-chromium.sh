#!/usr/bin/env bash
# Makes Debian's `chromium` available for the headless-browser test of the HTML digest.
# Idempotent and quiet when chromium is already installed. Installs with apt-get only when running as
# root (CI containers, dev VMs); otherwise says what to run, and exits 1 so a test never silently skips.
#
#   scripts/ensure-chromium.sh            # install if missing, print the binary path
#   CHROMIUM_BIN=/opt/chrome/chrome ...   # use another binary (must exist), nothing is installed
set -euo pipefail

find_chromium() {
  if [[ -n "${CHROMIUM_BIN:-}" ]]; then
    [[ -x "$CHROMIUM_BIN" ]] && { echo "$CHROMIUM_BIN"; return 0; }
    return 1
  fi
  local candidate
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    [[ -x "$candidate" ]] && { echo "$candidate"; return 0; }
  done
  return 1
}

if bin="$(find_chromium)"; then
  echo "$bin"
  exit 0
fi

if [[ -n "${CHROMIUM_BIN:-}" ]]; then
  echo "ensure-chromium: CHROMIUM_BIN=$CHROMIUM_BIN is not an executable file" >&2
  exit 1
fi

if [[ "$(id -u)" -ne 0 ]]; then
  cat >&2 <<'EOF'
ensure-chromium: chromium is not installed and this script is not running as root.
Install Debian's package once, then re-run the tests:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium
(or point CHROMIUM_BIN at an existing Chromium/Chrome binary)
EOF
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: chromium is missing and apt-get is not available (not Debian/Ubuntu?); set CHROMIUM_BIN" >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium with apt-get (one time)" >&2
export DEBIAN_FRONTEND=noninteractive
# Package lists may be absent in slim images; refresh them only when the package is unknown.
if ! apt-cache show chromium >/dev/null 2>&1; then
  apt-get update -qq >&2
fi
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2

if bin="$(find_chromium)"; then
  echo "$bin"
  exit 0
fi
echo "ensure-chromium: apt-get finished but no chromium binary was found" >&2
exit 1
