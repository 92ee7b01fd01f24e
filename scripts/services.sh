#!/usr/bin/env bash
# Start the services the tests use, when they are not running: PostgreSQL (127.0.0.1:5432),
# Redis (6379), RabbitMQ (5672). Installs them from Debian's packages if they are missing.
set -uo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 1; done; return 1; }
install_missing() {
  local missing=()
  for cmd_pkg in "$@"; do command -v "${cmd_pkg%%:*}" >/dev/null 2>&1 || missing+=("${cmd_pkg#*:}"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

if ! port_open 6379; then
  install_missing redis-server:redis-server
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
  wait_port 6379 && echo "services: started Redis" || echo "services: Redis did not start" >&2
fi
if ! port_open 5432; then
  install_missing pg_ctlcluster:postgresql
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  wait_port 5432 && echo "services: started PostgreSQL" || echo "services: PostgreSQL did not start" >&2
fi
if ! port_open 5672; then
  install_missing rabbitmq-server:rabbitmq-server
  $SUDO rabbitmq-server -detached >/dev/null 2>&1
  wait_port 5672 && echo "services: started RabbitMQ" || echo "services: RabbitMQ did not start" >&2
fi
exit 0
