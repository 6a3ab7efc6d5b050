#!/usr/bin/env bash
# Makes sure the browser tests have a Chromium, or stops with one line saying how to get one.
# Order: $CHROMIUM_PATH, /usr/bin/chromium, Debian's package (when root on Debian),
# Playwright's own download (elsewhere). Never a silent skip.
set -uo pipefail

want="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$want" ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH không phải tệp chạy được: sửa biến này hoặc bỏ nó đi để dùng /usr/bin/chromium." >&2
  exit 1
fi

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[chromium] chưa có /usr/bin/chromium: cài gói chromium của Debian…"
  export DEBIAN_FRONTEND=noninteractive
  if (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-noto-core) >/tmp/banso-chromium-install.log 2>&1 \
    && [ -x /usr/bin/chromium ]; then
    echo "[chromium] đã cài: $(/usr/bin/chromium --version 2>/dev/null)"
    exit 0
  fi
  echo "Không cài được Chromium bằng apt-get (xem /tmp/banso-chromium-install.log). Cài tay: apt-get install -y chromium, hoặc đặt CHROMIUM_PATH." >&2
  exit 1
fi

echo "[chromium] chưa có /usr/bin/chromium: tải trình duyệt của Playwright…"
if npx playwright install chromium >/tmp/banso-chromium-install.log 2>&1; then
  exit 0
fi
echo "Không có Chromium cho kiểm thử trình duyệt: cài gói chromium (sudo apt-get install -y chromium), hoặc chạy 'npx playwright install chromium', hoặc đặt CHROMIUM_PATH." >&2
exit 1
