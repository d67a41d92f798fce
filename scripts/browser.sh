#!/usr/bin/env bash
# Installs headless Chromium (Debian's `chromium`) for the `whosaid show` browser test, when it is
# missing. Idempotent: with /usr/bin/chromium present it does nothing. Needs root (as in CI);
# without root it says so and leaves the test to skip (outside CI) or fail (CI=true).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "browser: /usr/bin/chromium is missing and installing it needs root (apt-get install chromium)" >&2
  exit 0
fi
echo "browser: installing chromium from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# fonts-dejavu-core: the system fonts the page's font stacks fall back to on a bare machine.
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >&2
