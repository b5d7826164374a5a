# shellcheck shell=bash
# Sourced by scripts/run.sh. Installs, idempotently, everything the demo and
# the tests need on a bare Debian machine with Node 20 and npm:
#   pnpm (pinned by package.json's packageManager, into .cache/pnpm),
#   Debian's chromium, curl and python3 (only when missing), and for the
#   compatibility suite Debian's python3-azure, python3-msal and azure-cli,
#   the workspace's npm dependencies, and the build of every package.

step() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

check_node() {
  command -v node >/dev/null || die "Node.js 20.19 or newer is required (node not found)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js 20.19 or newer is required (found $(node --version))"
}

ensure_pnpm() {
  local version
  version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
  local prefix="$PWD/.cache/pnpm"
  if [ "$(pnpm --version 2>/dev/null)" = "$version" ]; then return; fi
  export PATH="$prefix/node_modules/.bin:$PATH"
  if [ "$(pnpm --version 2>/dev/null)" != "$version" ]; then
    step "installing pnpm $version into .cache/pnpm"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "pnpm@$version" >/dev/null
  fi
}

ensure_system_packages() {
  local missing=()
  [ -x "${AUTHBRIDGE_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  # The compatibility suite's real clients (e2e/tests/compat): Debian's Python azure-identity and MSAL, and the
  # Azure CLI. Debian's, because pip's registry is not reachable from this project's machines; run with /usr/bin/python3.
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import azure.identity, msal' 2>/dev/null || missing+=(python3-azure python3-msal)
  command -v az >/dev/null || missing+=(azure-cli)
  [ ${#missing[@]} -eq 0 ] && return
  apt_install "Debian packages" "${missing[@]}"
}

# apt_install WHAT PACKAGE…: installs Debian packages, as root or through sudo.
apt_install() {
  local what=$1
  shift
  command -v apt-get >/dev/null || die "please install: $* (no apt-get here)"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "please install as root: apt-get install $*"
    sudo="sudo"
  fi
  step "installing $what: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_and_build() {
  step "installing npm dependencies (pnpm install)"
  pnpm install --frozen-lockfile --prefer-offline --reporter=silent
  step "building all packages"
  pnpm run build
}

# The terminal's node-pty has no Linux prebuild: pnpm builds it (package.json
# pnpm.onlyBuiltDependencies) with node-gyp, which needs make, a C++ compiler,
# python3 and this Node's headers. Point node-gyp at the installed headers
# (Debian's nodejs: /usr/include/node; official builds: <prefix>/include/node)
# so it never tries to download them.
ensure_native_toolchain() {
  local prefix
  prefix=$(node -p 'require("path").resolve(process.execPath, "../..")')
  if [ -z "${npm_config_nodedir:-}" ]; then
    if [ -f "$prefix/include/node/common.gypi" ]; then export npm_config_nodedir="$prefix"
    elif [ -f /usr/include/node/common.gypi ]; then export npm_config_nodedir=/usr
    fi
  fi
  local missing=()
  command -v make >/dev/null || missing+=(make)
  command -v g++ >/dev/null || missing+=(g++)
  [ -n "${npm_config_nodedir:-}" ] || missing+=(libnode-dev)
  [ ${#missing[@]} -eq 0 ] && return
  apt_install "Debian packages to build node-pty" "${missing[@]}"
  [ -n "${npm_config_nodedir:-}" ] || { [ -f /usr/include/node/common.gypi ] && export npm_config_nodedir=/usr; }
}

# An install made before node-pty was allowed to build leaves it without its
# native module; build it now (idempotent: a no-op once it loads).
ensure_node_pty_built() {
  (cd packages/endpoint && node -e 'require("node-pty")' >/dev/null 2>&1) && return
  step "building node-pty (the terminal's pseudo-terminal)"
  pnpm --filter @authbridge/endpoint rebuild node-pty >/dev/null
  (cd packages/endpoint && node -e 'require("node-pty")') || die "node-pty did not build; see the output above"
}

bootstrap() {
  check_node
  ensure_pnpm
  ensure_system_packages
  ensure_native_toolchain
  install_and_build
  ensure_node_pty_built
}
