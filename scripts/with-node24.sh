#!/usr/bin/env bash
# Runs a command with Node 24 LTS, production's runtime, first on PATH; the machine's own Node
# stays the development default. The npm registry's `node@24` package ships Node's binary: it is
# installed once, outside the clone, and reused. NODE24_DIR (or CI_NODE24_DIR) says where.
set -euo pipefail

if (($# == 0)); then
  echo "usage: scripts/with-node24.sh <command> [arguments…]" >&2
  exit 2
fi

shared_dir=/var/cache/catalog-cms/node24
node24_at() { [[ "$("$1/node_modules/node/bin/node" --version 2>/dev/null)" == v24.* ]]; }

node24_dir="${NODE24_DIR:-${CI_NODE24_DIR:-}}"
if [[ -z "$node24_dir" ]]; then
  # The shared copy when it is there or can be made; else the user's own cache.
  if node24_at "$shared_dir" || { mkdir -p "$shared_dir" 2>/dev/null && [[ -w "$shared_dir" ]]; }; then
    node24_dir="$shared_dir"
  else
    node24_dir="${XDG_CACHE_HOME:-${HOME:?set HOME or NODE24_DIR}/.cache}/catalog-cms/node24"
  fi
fi

if ! node24_at "$node24_dir"; then
  for attempt in 1 2 3; do
    # A copy whose binary went missing reinstalls from scratch: npm would call it up to date.
    rm -rf "$node24_dir/node_modules"
    # The registry is the one network dependency: a dropped connection gets two more tries.
    npm install --prefix "$node24_dir" --no-audit --no-fund node@24 >&2 && break
    if ((attempt == 3)); then exit 1; fi
    echo "Installing node@24 failed (attempt $attempt of 3); retrying in 15 s" >&2
    sleep 15
  done
fi
# Without that binary (an install that ran no install scripts, say) the PATH below would fall
# through to the machine's Node and the command would run, untested, on the wrong runtime.
node24_at "$node24_dir" || {
  echo "No Node 24 in $node24_dir after npm install node@24" >&2
  exit 1
}

PATH="$node24_dir/node_modules/node/bin:$PATH" exec "$@"
