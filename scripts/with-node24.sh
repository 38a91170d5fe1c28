#!/usr/bin/env bash
# Runs a command with Node 24 LTS, production's runtime, first on PATH; the machine's own Node
# stays the development default. The npm registry's `node@24` package ships Node's binary: it is
# installed once, outside the clone, and reused. NODE24_DIR (or CI_NODE24_DIR) says where.
set -euo pipefail

default_dir=/var/cache/catalog-cms/node24
# A user who cannot write to /var/cache keeps the binary in their own cache.
if ! mkdir -p "$default_dir" 2>/dev/null || [[ ! -w "$default_dir" ]]; then
  default_dir="${XDG_CACHE_HOME:-$HOME/.cache}/catalog-cms/node24"
fi
node24_dir="${NODE24_DIR:-${CI_NODE24_DIR:-$default_dir}}"
node24_bin="$node24_dir/node_modules/node/bin"

has_node24() { [[ "$("$node24_bin/node" --version 2>/dev/null)" == v24.* ]]; }

if ! has_node24; then
  # The registry is the one network dependency: a dropped connection gets two more tries.
  for attempt in 1 2 3; do
    npm install --prefix "$node24_dir" --no-audit --no-fund node@24 >&2 && break
    if ((attempt == 3)); then exit 1; fi
    echo "Installing node@24 failed (attempt $attempt of 3); retrying in 15 s" >&2
    sleep 15
  done
fi
# Without that binary (an install that ran no install scripts, say) the PATH below would fall
# through to the machine's Node and the command would run, untested, on the wrong runtime.
has_node24 || { echo "No Node 24 at $node24_bin/node after npm install node@24" >&2; exit 1; }

PATH="$node24_bin:$PATH" exec "$@"
