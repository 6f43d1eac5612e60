#!/usr/bin/env bash
# Handbook setup: everything a fresh Debian 12 machine needs to build, run and
# test Handbook, and nothing done by hand. Safe to run again: when everything is
# already in place it does no network work and prints one line.
#
#   scripts/setup.sh            # system packages, third-party sources, npm packages
#
# What it does:
#   1. apt packages (compilers, emscripten, libraries, chromium, fonts, fonttools to subset them)
#   2. Debian source packages the web build compiles (SQLite, Dear ImGui, md4c, and
#      libsodium for the app's signature checks),
#      fetched with `apt-get source`, which checks every file against the hashes
#      in the signed Sources index, into the git-ignored .cache/sources/
#   3. the SQLite amalgamation (sqlite3.c) built from the SQLite source tree
#   4. npm packages for the browser tests (package-lock.json pins them)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/sources"
# Fetched sources are also kept per user, so a fresh clone (CI) copies them instead
# of downloading and rebuilding the SQLite amalgamation again. Never required.
home_cache="${HANDBOOK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/handbook}/sources"
quiet=1
log() { [ "$quiet" = 1 ] || echo "setup: $*"; }
say() { echo "setup: $*"; }

sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"

apt_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates xz-utils tcl
  emscripten
  nlohmann-json3-dev libgtest-dev googletest libgmock-dev libbenchmark-dev
  libyaml-cpp-dev libmd4c-dev libcpp-httplib-dev libsodium-dev libdtl-dev zlib1g-dev
  chromium fonts-noto-core fonts-inter fonts-font-awesome fonttools
  dpkg-dev clang-14 libclang-rt-14-dev
  nginx wrk
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# deb-src entries are needed for `apt-get source`.
src_list=/etc/apt/sources.list.d/handbook-deb-src.sources
need_update=0
if [ ! -f "$src_list" ]; then
  quiet=0
  say "enabling Debian source packages ($src_list)"
  $sudo_cmd tee "$src_list" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
fi

if [ ${#missing[@]} -gt 0 ]; then
  quiet=0
  need_update=1
fi
if [ "$need_update" = 1 ]; then
  say "apt-get update"
  $sudo_cmd apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Third-party sources for the web build -------------------------------------
# Each lands in .cache/sources/<name>/ with a stamp file naming the version used.
mkdir -p "$cache"
from_home_cache() { # dir name: copies a complete entry from the per-user cache
  [ -f "$home_cache/$1/$2" ] || return 1
  rm -rf "${cache:?}/$1"; cp -a "$home_cache/$1" "$cache/$1"
}
to_home_cache() { # dir: keeps a copy for the next clone (best effort)
  mkdir -p "$home_cache" 2>/dev/null && rm -rf "${home_cache:?}/$1" && cp -a "$cache/$1" "$home_cache/$1" 2>/dev/null || true
}

fetch_source() { # name  -> extracts the orig tarball to $cache/<name>
  local name=$1 dir="$cache/$1"
  [ -f "$dir/.handbook-stamp" ] && return 0
  from_home_cache "$name" .handbook-stamp && return 0
  quiet=0
  say "fetching Debian source package $name"
  local dl="$cache/download-$name"
  rm -rf "$dl" "$dir"; mkdir -p "$dl"
  # --download-only: apt verifies each file against the signed Sources index.
  # Only the orig tarball is unpacked (md4c's debian.tar is known to 404 on the
  # mirror, and the packaging is not needed), so a failed download of the debian
  # diff is tolerated as long as the orig tarball arrived.
  (cd "$dl" && apt-get source --download-only -qq "$name" >/dev/null 2>&1) || true
  local orig
  orig=$(ls "$dl"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1 || true)
  if [ -z "$orig" ]; then
    echo "setup: could not download the source package '$name' (is deb-src enabled and the network up?)" >&2
    exit 1
  fi
  # Check the tarball against the .dsc (itself from the signed index) when present.
  local dsc
  dsc=$(ls "$dl"/*.dsc 2>/dev/null | head -n1 || true)
  if [ -n "$dsc" ]; then
    local want got base
    base=$(basename "$orig")
    want=$(awk -v f="$base" '/^Checksums-Sha256:/{s=1;next} /^[^ ]/{s=0} s && $3==f {print $1}' "$dsc")
    got=$(sha256sum "$orig" | cut -d' ' -f1)
    if [ -n "$want" ] && [ "$want" != "$got" ]; then
      echo "setup: checksum mismatch for $base (want $want, got $got)" >&2
      exit 1
    fi
  fi
  mkdir -p "$dir"
  tar -xf "$orig" -C "$dir" --strip-components=1
  basename "$orig" > "$dir/.handbook-stamp"
  rm -rf "$dl"
  [ "$name" = sqlite3 ] || to_home_cache "$name"
}

fetch_source imgui
fetch_source md4c
fetch_source libsodium

# SQLite amalgamation: sqlite3.c / sqlite3.h built from the source tree.
amal="$cache/sqlite-amalgamation"
[ -f "$amal/sqlite3.c" ] || from_home_cache sqlite-amalgamation sqlite3.c || true
if [ ! -f "$amal/sqlite3.c" ]; then
  quiet=0
  fetch_source sqlite3
  say "building the SQLite amalgamation"
  bdir="$cache/sqlite3-build"
  rm -rf "$bdir"; mkdir -p "$bdir"
  (cd "$bdir" && "$cache/sqlite3/configure" --disable-tcl >/dev/null && make -s sqlite3.c >/dev/null 2>&1)
  mkdir -p "$amal"
  cp "$bdir/sqlite3.c" "$bdir/sqlite3.h" "$bdir/sqlite3ext.h" "$amal/"
  rm -rf "$bdir" "$cache/sqlite3" "$home_cache/sqlite3"  # the full tree (100+ MB) is only needed for this
  to_home_cache sqlite-amalgamation
fi

for entry in imgui md4c libsodium sqlite-amalgamation; do
  [ -e "$home_cache/$entry" ] || to_home_cache "$entry"
done

# --- npm packages (browser tests, benchmark peers) ------------------------------
if [ -f "$root/package.json" ]; then
  if [ ! -d "$root/node_modules" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    quiet=0
    say "installing npm packages"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi

if [ "$quiet" = 1 ]; then
  echo "setup: everything already in place"
else
  say "done"
fi
