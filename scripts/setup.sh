#!/usr/bin/env bash
# Set-up that `npm test`, `npm run demo`, `npm run quickstart` and `npm run bench` run first: Debian packages
# (installed when root, otherwise the exact apt-get line is printed), npm packages, and the
# TypeScript build. Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# LLVM major version: PASSGYM_LLVM if numeric, else the newest complete one (library + tools).
major="${PASSGYM_LLVM:-}"
if ! [[ "$major" =~ ^[0-9]+$ ]]; then
  major=""
  for n in 22 21 20 19 18 17 16 15 14; do
    if command -v "opt-$n" >/dev/null && command -v "llvm-link-$n" >/dev/null && command -v "llvm-stress-$n" >/dev/null; then
      major=$n; break
    fi
  done
fi
[ -n "$major" ] || major=14

need=()
command -v "opt-$major" >/dev/null || need+=("llvm-$major")
command -v "clang-$major" >/dev/null || need+=("clang-$major")
command -v cc >/dev/null || need+=("gcc")
# The Python client and its tests use Debian's Python packages and protoc (python3-networkx:
# Programl as a networkx graph, optional for users, tested here).
# bubblewrap confines the server's compilation of uploaded C/C++.
for pkg in python3-zmq python3-protobuf python3-numpy python3-networkx python3-venv python3-setuptools protobuf-compiler bubblewrap; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "passgym setup: installing ${need[*]} from Debian" >&2
    # Wait for another apt (up to 10 minutes) instead of failing at once on its lock.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
  else
    echo "passgym setup: missing Debian packages. Run as root:" >&2
    echo "  apt-get update && apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
fi
# Typed protobuf code from proto/passgym.proto (pbjs/pbts), then the TypeScript build.
npm run --silent build
