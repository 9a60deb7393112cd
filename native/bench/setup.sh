#!/usr/bin/env bash
# Installs what `npm run bench:runtime` needs beyond the build: wrk (load
# generator), nginx (the HTTP peer), taskset and fincore (util-linux), a C
# compiler. Debian packages only; idempotent; not part of CI.
set -euo pipefail
# The repository's one way to install Debian packages (shared with the CI setup scripts).
# shellcheck source=../../.ci/apt.sh
. "$(dirname "$0")/../../.ci/apt.sh"
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v taskset >/dev/null || need+=(util-linux)
command -v fincore >/dev/null || need+=(util-linux)
command -v cc >/dev/null || need+=(gcc)
apt_install "bench setup" ${need[@]+"${need[@]}"}
# Debian starts nginx on install where it can; the benchmark runs its own.
echo "bench setup: ready ($(wrk --version 2>&1 | head -n1 | cut -c1-40); $(nginx -v 2>&1))"
