# shellcheck shell=bash
# Sourced by scripts/run.sh. Installs, idempotently, everything the demo and
# the tests need on a bare Debian machine with Node 20 and npm:
#   pnpm (pinned by package.json's packageManager, into .cache/pnpm),
#   Debian's chromium, curl and python3 (only when missing),
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
  [ ${#missing[@]} -eq 0 ] && return
  command -v apt-get >/dev/null || die "please install: ${missing[*]} (no apt-get here)"
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "please install as root: apt-get install ${missing[*]}"
    sudo="sudo"
  fi
  step "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_and_build() {
  step "installing npm dependencies (pnpm install)"
  pnpm install --frozen-lockfile --prefer-offline --reporter=silent
  step "building all packages"
  pnpm run build
}

bootstrap() {
  check_node
  ensure_pnpm
  ensure_system_packages
  install_and_build
}
