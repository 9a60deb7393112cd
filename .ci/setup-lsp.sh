#!/usr/bin/env bash
# Installs what the language-server and CLI tests need beyond `npm ci`: Debian's neovim (0.7),
# whose built-in LSP client drives the server in test/neovim. Idempotent and non-interactive.
set -euo pipefail

log() { echo "setup-lsp: $*"; }
# shellcheck source=apt.sh
. "$(dirname "$0")/apt.sh"

if command -v nvim >/dev/null; then
  log "neovim already installed: $(nvim --version | head -n1)"
  exit 0
fi

apt_install setup-lsp neovim
nvim --version | head -n1
