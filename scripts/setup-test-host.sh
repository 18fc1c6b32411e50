#!/usr/bin/env bash
# Installs what the test suite needs on a Debian 12 machine, as root: the lab's tools (debootstrap,
# systemd-nspawn, iproute2, nftables, an SSH client), git for the git checks, sqlite3 for the backup
# benchmark and Chromium for the dashboard test (driven by playwright-core). The lab image itself is built by the tests on first
# use and cached under /var/cache/kafclaw-lab.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-test-host: run as root (it installs Debian packages)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
packages=(debootstrap systemd-container iproute2 nftables openssh-client git sqlite3 chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-test-host: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup-test-host: ready"
