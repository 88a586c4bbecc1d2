#!/usr/bin/env bash
# Install Debian's chromium and its CJK fonts when missing.
# Browser tests drive this system browser; test tools' own browser downloads are not used.
# The fonts (Noto Sans and Serif CJK) are also the ones `checkup report` embeds in the PDF.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto serif cjk"; then
  exit 0
fi
packages="chromium fonts-noto-cjk"
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "install-browser: chromium is missing and this user cannot install it; run as root: apt-get install -y $packages" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq $packages >/dev/null
command -v chromium
