#!/usr/bin/env bash
# Installs what the real-editor tests need: Debian's Chromium and ripgrep, and code-server
# (VS Code 1.100.3 served to a browser) from the npm registry. Idempotent; a second run is fast.
#
#   ZC_EDITORS_DIR   where code-server is installed (default /opt/zc-code-server, outside the
#                    checkout so that fresh clones on the same machine reuse it)
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep that code-server 4.100.3 depends on, and the archive name it looks for.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
EDITORS_DIR=${ZC_EDITORS_DIR:-/opt/zc-code-server}

log() { echo "setup-editors: $*"; }

# shellcheck source=apt.sh
. "$(dirname "$0")/apt.sh"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v rg >/dev/null || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
# The package tests list and unpack the .vsix.
command -v unzip >/dev/null || need_apt+=(unzip)
# code-server's native modules are built at install time.
command -v make >/dev/null || need_apt+=(make)
command -v g++ >/dev/null || need_apt+=(g++)
command -v python3 >/dev/null || need_apt+=(python3)
apt_install setup-editors ${need_apt[@]+"${need_apt[@]}"}

bin="$EDITORS_DIR/node_modules/.bin/code-server"
if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null | head -n1 | cut -d' ' -f1)" = "$CODE_SERVER_VERSION" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $EDITORS_DIR"
  exit 0
fi

# @vscode/ripgrep downloads a binary at install time, which these machines cannot do; it first
# looks for a cached archive in $TMPDIR, so hand it Debian's rg in the archive it expects.
tmp=${TMPDIR:-/tmp}
cache="$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
if [ ! -s "$cache/$RIPGREP_ARCHIVE" ]; then
  log "caching Debian's ripgrep as $cache/$RIPGREP_ARCHIVE"
  mkdir -p "$cache"
  stage=$(mktemp -d)
  cp "$(command -v rg)" "$stage/rg"
  tar -czf "$cache/$RIPGREP_ARCHIVE" -C "$stage" rg
  rm -rf "$stage"
fi

log "installing code-server $CODE_SERVER_VERSION into $EDITORS_DIR (a few minutes)"
mkdir -p "$EDITORS_DIR"
cd "$EDITORS_DIR"
[ -f package.json ] || echo '{ "name": "zc-code-server", "private": true }' > package.json
# code-server's postinstall refuses to run as root under npm unless npm_config_unsafe_perm is
# "true" (npm 7+ no longer has the option, but still exports it to scripts); it then builds VS
# Code's native modules with its own `npm install --unsafe-perm`.
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION"
"$bin" --version
log "done"
