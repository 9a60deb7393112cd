# Sourced by the setup scripts (not run by .ci/run, which runs .ci/setup-*.sh): installs Debian
# packages without prompting, one apt at a time on a shared machine (flock on /tmp/zc-apt.lock).
#
#   apt_install LABEL PACKAGE...   installs the packages named (none: does nothing)

apt_lock() { if command -v flock >/dev/null && [ -w /tmp ]; then flock /tmp/zc-apt.lock "$@"; else "$@"; fi; }

apt_install() {
  local label=$1
  shift
  [ $# -gt 0 ] || return 0
  echo "$label: installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt_lock apt-get update
  apt_lock apt-get install -y --no-install-recommends "$@"
}
