#!/usr/bin/env bash
# Installs what the language-server and CLI tests need beyond `npm ci`: Debian's neovim (0.7),
# whose built-in LSP client drives the server in test/neovim. Idempotent and non-interactive.
set -euo pipefail

log() { echo "setup-lsp: $*"; }
apt_lock() { if command -v flock >/dev/null && [ -w /tmp ]; then flock /tmp/zc-apt.lock "$@"; else "$@"; fi; }

if command -v nvim >/dev/null; then
  log "neovim already installed: $(nvim --version | head -n1)"
  exit 0
fi

log "installing Debian's neovim"
export DEBIAN_FRONTEND=noninteractive
apt_lock apt-get update
apt_lock apt-get install -y --no-install-recommends neovim
nvim --version | head -n1
