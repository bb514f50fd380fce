# shellcheck shell=bash
# Shared set-up of bin/start, bin/test and .ci/run: system checks, apt packages, the virtualenv.
# Sourced, not run. Expects to be sourced from the repository root.

PYTHON=${PYTHON:-python3}
VENV=.venv
# shellcheck disable=SC2034  # used by the scripts that source this file
VAR_DIR=${SOP_PORTAL_VAR_DIR:-var}

say() { printf '==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

# Install Debian packages when we can (root with apt-get), else stop with the exact command.
_apt_updated=""
apt_install() {
  local why=$1; shift
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "Installing $why: $*"
    if [ -z "$_apt_updated" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
      _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
      || die "apt-get install $* failed"
  else
    die "missing: $why. Install with:

    sudo apt-get install -y $*

(or the equivalent packages of your system), then run this command again."
  fi
}

check_python() {
  command -v "$PYTHON" >/dev/null 2>&1 \
    || die "$PYTHON not found. SOP Portal needs Python 3.11 or newer (Debian 12: sudo apt-get install -y python3)."
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "SOP Portal needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1). Set PYTHON=/path/to/python3.11."
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt_install "Python's venv module" python3-venv
    "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 \
      || die "$PYTHON still has no venv/ensurepip module (for a non-default Python install python3.X-venv)."
  fi
}

_has_library() {
  "$PYTHON" -c 'import ctypes.util, sys; sys.exit(ctypes.util.find_library(sys.argv[1]) is None)' "$1"
}

_has_font() {
  [ -n "$(find /usr/share/fonts /usr/local/share/fonts -type f \( -name '*.ttf' -o -name '*.otf' \) \
    -print -quit 2>/dev/null)" ]
}

# WeasyPrint renders the PDFs: it needs Pango and HarfBuzz from the system, and a font.
check_weasyprint_libraries() {
  local missing=""
  _has_library pango-1.0 || missing="$missing libpango-1.0-0"
  _has_library pangoft2-1.0 || missing="$missing libpangoft2-1.0-0"
  _has_library harfbuzz-subset || missing="$missing libharfbuzz-subset0"
  _has_font || missing="$missing fonts-dejavu-core"
  # shellcheck disable=SC2086  # word splitting of the package list is intended
  [ -z "$missing" ] || apt_install "WeasyPrint's system libraries (PDF rendering)" $missing
}

# pdfsig (poppler-utils) reads the portal's signed PDFs the way a third party would: the tests
# check that it finds every issued document's PAdES signature intact.
check_pdfsig() {
  command -v pdfsig >/dev/null 2>&1 || apt_install "pdfsig (signature tests)" poppler-utils
}

check_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install "Chromium (browser tests)" chromium
}

# The outbox drills (tests/test_outbox_worker.py) start and kill a private Redis server.
check_redis_server() {
  command -v redis-server >/dev/null 2>&1 || apt_install "Redis (outbox tests)" redis-server
}

# Create .venv if absent (or broken) and install the project into it. The install is skipped
# when pyproject.toml has not changed since the last successful one, so a second run is quick.
ensure_venv() {
  local spec=$1  # "." or ".[dev]"
  if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
    rm -rf "$VENV"
    say "Creating the virtualenv in $VENV"
    "$PYTHON" -m venv "$VENV" || die "could not create $VENV"
  fi
  local want stamps name
  want=$(cksum < pyproject.toml)
  # ".[dev]" includes ".", so its stamp satisfies both.
  if [ "$spec" = "." ]; then stamps="app dev"; else stamps="dev"; fi
  for name in $stamps; do
    if [ "$(cat "$VENV/.sop-portal-$name" 2>/dev/null)" = "$want" ]; then
      say "Python packages are up to date in $VENV"
      return
    fi
  done
  say "Installing Python packages into $VENV: pip install -e \"$spec\" (the first time takes a minute or two)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" \
    || die "pip install -e \"$spec\" failed (see above)"
  if [ "$spec" = "." ]; then name=app; else name=dev; fi
  echo "$want" > "$VENV/.sop-portal-$name"
}
