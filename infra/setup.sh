#!/usr/bin/env bash
# Installs what certplane needs to run from a fresh checkout: the pinned pnpm and the node modules.
# Used by the README's quick start and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

want_pnpm=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  echo "installing pnpm $want_pnpm"
  npm install -g --silent "pnpm@$want_pnpm"
fi

# node-gyp must build better-sqlite3 against the machine's own Node headers: without this it tries to
# download them, and these machines reach no such host.
if [ -d /usr/include/node ]; then export npm_config_nodedir=/usr; fi
pnpm install --frozen-lockfile
