#!/bin/bash
# Runs inside the systemd-sandbox container in `make systemd-check`'s second run: the
# unit with systemd/digitd-metrics.conf as a drop-in and metrics.listen =
# "127.0.0.1:9464" answers GET /metrics over TCP. Non-zero exit = FAIL.
set -uo pipefail
for _ in $(seq 1 50); do
    exec 3<>/dev/tcp/127.0.0.1/9464 2>/dev/null && break
    sleep 0.1
done
printf 'GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3 2>/dev/null
answer=$(timeout 5 cat <&3 2>/dev/null)
if head -1 <<<"$answer" | grep -q ' 200 ' && grep -q '^digitd_ready 1' <<<"$answer"; then
    echo "  ok   GET http://127.0.0.1:9464/metrics: 200, digitd_ready 1"
else
    echo "  FAIL GET http://127.0.0.1:9464/metrics answered: $(head -3 <<<"$answer")"
    journalctl -u digitd.service --no-pager | tail -5
    exit 1
fi
