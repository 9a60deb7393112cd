#!/usr/bin/env bash
# Installs what the zerocopy native addon and its tests need beyond `npm ci`:
# a C++ toolchain for node-gyp (g++, make, python3), a C compiler for the
# benchmark's load client that a test builds (cc), and openssl, which the TLS
# tests use to make a throwaway certificate. Node's headers come with Debian's
# nodejs package (npm is configured with nodedir=/usr), so nothing is downloaded.
# Idempotent and non-interactive; a second run does nothing.
set -euo pipefail

log() { echo "setup-native: $*"; }
# shellcheck source=apt.sh
. "$(dirname "$0")/apt.sh"

need=()
command -v g++ >/dev/null || need+=(g++)
command -v cc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)
command -v openssl >/dev/null || need+=(openssl)
apt_install setup-native ${need[@]+"${need[@]}"}

# node-gyp needs Node's headers; without a nodedir it would try to download them.
if [ ! -f /usr/include/node/node_api.h ] && [ -z "${npm_config_nodedir:-}" ]; then
  log "warning: /usr/include/node/node_api.h is missing; node-gyp will try to download headers"
fi
log "ready: $(g++ --version | head -n1); $(openssl version)"
