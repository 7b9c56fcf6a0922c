#!/usr/bin/env bash
# Data-path throughput of argate on TUN ports against same-run references (issue 15, "Measured").
#
#   fwd  plain forwarding through one argate router between two Linux host namespaces, against
#        the Linux kernel forwarding between the same namespaces (a namespace router with
#        ip_forward=1, veth offloads on, and off with ethtool -K when ethtool is there)
#   esp  an argate-argate ESP tunnel with manual keys (AES-128-GCM and AES-128-CBC/HMAC-SHA1;
#        raw ESP, ESP over UDP 2746 and ESP in UDP on 4500 as RFC 3948 frames it), against
#        strongSwan-strongSwan with kernel-libipsec in the shared interop lab (../shared/lab, the
#        setup ../shared/bench/strongswan-tunnel.sh uses: conf/natt, IKEv1, aes128-sha1)
#
# Traffic (iperf3): TCP with 1 and 4 streams, 64-byte UDP (-u -l 64 -b 0). Each leg reports
# Mbit/s received, packets/s (TCP: what host B's interface received, a GRO super-packet counting
# once; UDP: datagrams iperf3 received) and the CPU of each thread of the routers under test.
# Rounds alternate argate and reference (A/B, the order flipping each round); the table gives
# medians and the median of the per-round ratios, with the issue's targets MET/NOT MET.
#
# Usage: bench/tunnel.sh [options]   (as root; bench/README.md has the details)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${ARGATE_SHARED:-$here/../shared}"
ARGATE="${ARGATE:-$here/argate}"

SECS=10
ROUNDS=3
CASES=fwd,esp
ALGS=gcm,cbc
ENCAPS=esp,udp2746,nat4500
TRAFFIC=tcp1,tcp4,udp64
WARMUP=10
OUT="$here/bench/target/tunnel"
BOOT_WAIT=180

usage() {
  cat <<EOF
Usage: bench/tunnel.sh [options]     (run as root)
  -t, --time SECONDS     seconds per iperf3 measurement (default $SECS)
  -r, --rounds N         A/B rounds, argate and reference alternating; medians (default $ROUNDS)
  -c, --cases LIST       fwd,esp (default $CASES)
      --algs LIST        ESP algorithms: gcm,cbc (default $ALGS)
      --encaps LIST      ESP framing: esp,udp2746,nat4500 (default $ENCAPS)
      --traffic LIST     tcp1,tcp4,udp64 (default $TRAFFIC)
  -w, --warmup SECONDS   unrecorded TCP run before each leg's measurements (default $WARMUP)
  -o, --out DIR          results, logs and router data (default bench/target/tunnel)
  -h, --help             this text
Environment: ARGATE (launcher, default ./argate), ARGATE_SHARED (default ../shared),
JAVA_TOOL_OPTIONS (extra JVM options for the routers).
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    -t|--time) SECS="${2:?$1 needs a value}"; shift 2 ;;
    -r|--rounds) ROUNDS="${2:?$1 needs a value}"; shift 2 ;;
    -c|--cases) CASES="${2:?$1 needs a value}"; shift 2 ;;
    --algs) ALGS="${2:?$1 needs a value}"; shift 2 ;;
    --encaps) ENCAPS="${2:?$1 needs a value}"; shift 2 ;;
    --traffic) TRAFFIC="${2:?$1 needs a value}"; shift 2 ;;
    -w|--warmup) WARMUP="${2:?$1 needs a value}"; shift 2 ;;
    -o|--out) OUT="${2:?$1 needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "tunnel.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "tunnel.sh: $*" >&2; exit 2; }
note() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

[ "$(id -u)" = 0 ] || die "needs root (it creates network namespaces and TUN devices and starts strongSwan): sudo bench/tunnel.sh"
[[ "$SECS" =~ ^[0-9]+$ ]] && [ "$SECS" -ge 1 ] || die "--time needs a whole number of seconds, not $SECS"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "--warmup needs a whole number of seconds, not $WARMUP"
[[ "$ROUNDS" =~ ^[0-9]+$ ]] && [ "$ROUNDS" -ge 1 ] || die "--rounds needs a positive number, not $ROUNDS"
has() { [[ ",$1," == *",$2,"* ]]; }
for c in ${CASES//,/ }; do case "$c" in fwd|esp) ;; *) die "unknown case $c (fwd, esp)" ;; esac; done
for a in ${ALGS//,/ }; do case "$a" in gcm|cbc) ;; *) die "unknown algorithm $a (gcm, cbc)" ;; esac; done
for e in ${ENCAPS//,/ }; do case "$e" in esp|udp2746|nat4500) ;; *) die "unknown framing $e (esp, udp2746, nat4500)" ;; esac; done
for x in ${TRAFFIC//,/ }; do case "$x" in tcp1|tcp4|udp64) ;; *) die "unknown traffic $x (tcp1, tcp4, udp64)" ;; esac; done
command -v ip >/dev/null || die "needs iproute2 (the ip command)"
command -v python3 >/dev/null || die "needs python3 (it reads iperf3's JSON and prints the table)"
[ -x "$ARGATE" ] || die "no argate launcher at $ARGATE"

# iperf3 (and ethtool, for the kernel's offloads-off leg) as .ci/run installs packages
install_pkg() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
  note "installing $1"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null 2>&1; }
}
command -v iperf3 >/dev/null || install_pkg iperf3 || true
command -v iperf3 >/dev/null || die "needs iperf3 and could not install it (apt-get install iperf3)"
command -v ethtool >/dev/null || install_pkg ethtool || true
ETHTOOL=0; command -v ethtool >/dev/null && ETHTOOL=1
if has "$CASES" esp; then
  [ -x "$SHARED/lab/lab-up.sh" ] || die "the strongSwan reference needs the interop lab at $SHARED/lab (set ARGATE_SHARED)"
  [ -x /usr/lib/ipsec/charon ] || die "the strongSwan reference needs charon (.ci/run installs strongswan-charon)"
fi

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
RUN="$OUT/tunnel-run"; rm -rf "$RUN"; mkdir -p "$RUN"   # this run's logs and router data
RES="$OUT/results.tsv"; : > "$RES"
# this run's names: namespaces and devices carry the shell's pid, so two runs do not collide
TAG="tb$(printf '%x' $(($$ % 65536)))"
NS_A="${TAG}a"; NS_B="${TAG}b"; NS_K="${TAG}k"; NS_W="${TAG}w"
export LAB_RUN="$RUN/lab"      # the strongSwan lab's pid files and logs stay in this run
SWAN_UP=0
PIDS=()

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  [ "$SWAN_UP" = 1 ] && "$SHARED/lab/lab-down.sh" >/dev/null 2>&1 || true
  for ns in "$NS_A" "$NS_B" "$NS_K" "$NS_W"; do
    if ip netns list | grep -qw "$ns"; then
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
new_ns() { ip netns del "$1" 2>/dev/null || true; ip netns add "$1"; ip -n "$1" link set lo up;
  in_ns "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; }
forget_pid() { local p="$1" i; for i in "${!PIDS[@]}"; do [ "${PIDS[$i]}" = "$p" ] && unset 'PIDS[i]'; done; PIDS=("${PIDS[@]}"); }
stop_pid() {
  local p="$1"
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
  wait "$p" 2>/dev/null || true
  forget_pid "$p"
}

# The host namespaces: host A 10.71.1.5/24 behind the router's 10.71.1.1, host B 10.71.2.5/24
# behind 10.71.2.1. Each leg attaches its links to them and removes them again.
HOST_A=10.71.1.5; HOST_B=10.71.2.5; GW_A=10.71.1.1; GW_B=10.71.2.1
new_ns "$NS_A"; new_ns "$NS_B"
host_addr() {   # ns dev address gateway
  ip -n "$1" addr add "$3/24" dev "$2"
  ip -n "$1" link set "$2" up
  ip -n "$1" route replace default via "$4" dev "$2"
}
wait_dev() {    # ns dev seconds pid: until the router has created its TUN device there
  local i
  for i in $(seq 1 $(($3 * 5))); do
    ip -n "$1" link show dev "$2" >/dev/null 2>&1 && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
wait_gone() { local i; for i in $(seq 1 100); do ip -n "$1" link show dev "$2" >/dev/null 2>&1 || return 0; sleep 0.1; done; return 1; }
reach() {       # ns source destination: until a ping answers (a tunnel's first packets may be lost)
  local i
  for i in $(seq 1 30); do
    in_ns "$1" ping -n -q -c 1 -W 1 -I "$2" "$3" >/dev/null 2>&1 && return 0
  done
  return 1
}

# ---------------------------------------------------------------------------- argate routers
# One router: a platform file with two TUN ports and a boot script (--config); it runs as a
# service until SIGTERM, its threads measured from /proc.
ARGATE_PID=""
start_argate() {   # name platform-text config-text
  local dir="$RUN/$1"
  rm -rf "$dir"; mkdir -p "$dir"
  printf '%s\n' "$2" > "$dir/platform.txt"
  printf '%s\n' "$3" > "$dir/bench.cfg"
  "$ARGATE" --data "$dir/data" --telnet off --platform "$dir/platform.txt" --config "$dir/bench.cfg" \
    </dev/null >"$dir/argate.log" 2>&1 &
  ARGATE_PID=$!
  PIDS+=("$ARGATE_PID")
}
argate_failed() {  # name what
  local dir="$RUN/$1"
  echo "tunnel.sh: argate $1: $2; its log ($dir/argate.log):" >&2
  tail -20 "$dir/argate.log" >&2 || true
  echo "  (check the boot script with: $ARGATE --data /tmp/x --platform $dir/platform.txt --batch $dir/bench.cfg)" >&2
}

FWD_PID=""
fwd_up() {
  start_argate fwd "vlan1 tun dev=${TAG}a0 netns=$NS_A mtu=1500
eth0 tun dev=${TAG}b0 netns=$NS_B mtu=1500" "add ip int=vlan1 ip=$GW_A mask=255.255.255.0
add ip int=eth0 ip=$GW_B mask=255.255.255.0
enable ip"
  FWD_PID=$ARGATE_PID
  wait_dev "$NS_A" "${TAG}a0" "$BOOT_WAIT" "$FWD_PID" && wait_dev "$NS_B" "${TAG}b0" "$BOOT_WAIT" "$FWD_PID" \
    || { argate_failed fwd "its TUN devices did not appear"; return 1; }
  host_addr "$NS_A" "${TAG}a0" "$HOST_A" "$GW_A"
  host_addr "$NS_B" "${TAG}b0" "$HOST_B" "$GW_B"
  reach "$NS_A" "$HOST_A" "$HOST_B" || { argate_failed fwd "host A cannot reach host B through it"; return 1; }
}
fwd_down() { stop_pid "$FWD_PID"; wait_gone "$NS_A" "${TAG}a0"; wait_gone "$NS_B" "${TAG}b0"; }

# The tunnel: host A - argate A (vlan1 TUN in A, eth0 TUN in the WAN namespace) - the WAN
# namespace's kernel routes - argate B - host B. WAN: A 10.71.101.1/30, B 10.71.102.1/30.
# The LAN TUNs have MTU 1400, as strongSwan's ipsec0 has, so neither side fragments.
ESP_A_PID=""; ESP_B_PID=""
ESP_LAN_MTU=1400
# keys made for this benchmark (manual SAs; the same on both routers)
KEY_SHA1=0x5c0ffee15bad1dea50e1f00d0ddba11c0c0a2b3d
KEY_AES=0x6a1f3e0b9c4d27e85f10a2b4c6d8e0f1
KEY_GCM=0x0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a01020304   # 16-byte key and 4-byte salt (RFC 4106)
esp_config() {     # a|b alg encap
  local me peer lan wan wangw spi_in spi_out sa pol=""
  if [ "$1" = a ]; then lan=$GW_A; wan=10.71.101.1; wangw=10.71.101.2; peer=10.71.102.1; spi_in=1000; spi_out=1001
  else lan=$GW_B; wan=10.71.102.1; wangw=10.71.102.2; peer=10.71.101.1; spi_in=1001; spi_out=1000; fi
  me=${lan%.*}.0
  local other; [ "$1" = a ] && other=${GW_B%.*}.0 || other=${GW_A%.*}.0
  case "$2" in
    gcm) sa="prot=esp encalg=aesgcm128 enckey=3" ;;
    cbc) sa="prot=esp encalg=aes128 enckey=2 hashalg=sha hashkey=1" ;;
  esac
  case "$3" in
    esp) ;;
    udp2746) pol=" udptunnel=yes" ;;
    nat4500) pol=" udptunnel=yes udpport=4500" ;;
  esac
  cat <<EOF
add ip int=vlan1 ip=$lan mask=255.255.255.0
add ip int=eth0 ip=$wan mask=255.255.255.252
add ip route=0.0.0.0 mask=0.0.0.0 int=eth0 next=$wangw
enable ip
create enco key=1 type=general value=$KEY_SHA1
create enco key=2 type=aes128 value=$KEY_AES
create enco key=3 type=general value=$KEY_GCM
create ipsec sas=1 key=manual $sa inspi=$spi_in outspi=$spi_out antireplay=yes
create ipsec bundle=1 key=manual string="1"
create ipsec policy=vpn int=eth0 action=ipsec key=manual bundle=1 peer=$peer$pol
set ipsec policy=vpn lad=$me lma=255.255.255.0 rad=$other rma=255.255.255.0
create ipsec policy=inet int=eth0 action=permit
EOF
  [ "$3" = nat4500 ] && echo "set ipsec udpport=4500"
  echo "enable ipsec"
}
esp_up() {         # alg encap
  new_ns "$NS_W"
  in_ns "$NS_W" sysctl -qw net.ipv4.ip_forward=1
  start_argate esp-a "vlan1 tun dev=${TAG}a0 netns=$NS_A mtu=$ESP_LAN_MTU
eth0 tun dev=${TAG}wa netns=$NS_W mtu=1500" "$(esp_config a "$1" "$2")"
  ESP_A_PID=$ARGATE_PID
  start_argate esp-b "vlan1 tun dev=${TAG}b0 netns=$NS_B mtu=$ESP_LAN_MTU
eth0 tun dev=${TAG}wb netns=$NS_W mtu=1500" "$(esp_config b "$1" "$2")"
  ESP_B_PID=$ARGATE_PID
  wait_dev "$NS_A" "${TAG}a0" "$BOOT_WAIT" "$ESP_A_PID" && wait_dev "$NS_W" "${TAG}wa" "$BOOT_WAIT" "$ESP_A_PID" \
    || { argate_failed esp-a "its TUN devices did not appear"; return 1; }
  wait_dev "$NS_B" "${TAG}b0" "$BOOT_WAIT" "$ESP_B_PID" && wait_dev "$NS_W" "${TAG}wb" "$BOOT_WAIT" "$ESP_B_PID" \
    || { argate_failed esp-b "its TUN devices did not appear"; return 1; }
  ip -n "$NS_W" addr add 10.71.101.2/30 dev "${TAG}wa"; ip -n "$NS_W" link set "${TAG}wa" up
  ip -n "$NS_W" addr add 10.71.102.2/30 dev "${TAG}wb"; ip -n "$NS_W" link set "${TAG}wb" up
  host_addr "$NS_A" "${TAG}a0" "$HOST_A" "$GW_A"
  host_addr "$NS_B" "${TAG}b0" "$HOST_B" "$GW_B"
  reach "$NS_A" "$HOST_A" "$HOST_B" || { argate_failed esp-a "host A cannot reach host B through the $1/$2 tunnel"; return 1; }
}
wire_check() {     # encap: most packets that crossed the WAN had the framing the leg is named for
  command -v iptables >/dev/null || return 0
  local counts want
  # counted in a short run of its own after the measurements: the WAN namespace's counting rules
  # cost every forwarded packet a pass through netfilter, which the references do not pay
  in_ns "$NS_W" iptables -A FORWARD -p esp
  in_ns "$NS_W" iptables -A FORWARD -p udp --dport 2746
  in_ns "$NS_W" iptables -A FORWARD -p udp --dport 4500
  in_ns "$NS_W" iptables -A FORWARD
  tcp_run "$NS_A" "$HOST_A" "$NS_B" "$HOST_B" 2
  counts=$(in_ns "$NS_W" iptables -nvxL FORWARD | awk 'NR > 2 { print $1 }' | tr '\n' ' ')
  case "$1" in esp) want=1 ;; udp2746) want=2 ;; nat4500) want=3 ;; esac
  python3 - "$want" $counts <<'PY' || { echo "tunnel.sh: the $1 leg's WAN did not carry $1 framing (esp, udp/2746, udp/4500, all: $counts)" >&2; return 1; }
import sys
want, c = int(sys.argv[1]), [int(x) for x in sys.argv[2:]]
sys.exit(0 if c[3] > 0 and c[want - 1] >= 0.9 * c[3] else 1)
PY
}
esp_down() {
  stop_pid "$ESP_A_PID"; stop_pid "$ESP_B_PID"
  wait_gone "$NS_A" "${TAG}a0"; wait_gone "$NS_B" "${TAG}b0"
  ip netns del "$NS_W" 2>/dev/null || true
}

# ---------------------------------------------------------------------------- references
kernel_up() {      # on|off: the kernel forwards between the same host namespaces
  new_ns "$NS_K"
  in_ns "$NS_K" sysctl -qw net.ipv4.ip_forward=1
  ip link add "${TAG}a1" netns "$NS_A" type veth peer name "${TAG}ka" netns "$NS_K"
  ip link add "${TAG}b1" netns "$NS_B" type veth peer name "${TAG}kb" netns "$NS_K"
  ip -n "$NS_K" addr add "$GW_A/24" dev "${TAG}ka"; ip -n "$NS_K" link set "${TAG}ka" up
  ip -n "$NS_K" addr add "$GW_B/24" dev "${TAG}kb"; ip -n "$NS_K" link set "${TAG}kb" up
  host_addr "$NS_A" "${TAG}a1" "$HOST_A" "$GW_A"
  host_addr "$NS_B" "${TAG}b1" "$HOST_B" "$GW_B"
  if [ "$1" = off ]; then
    local x f
    for x in "$NS_A:${TAG}a1" "$NS_K:${TAG}ka" "$NS_K:${TAG}kb" "$NS_B:${TAG}b1"; do
      for f in tso gso gro tx rx sg; do in_ns "${x%%:*}" ethtool -K "${x#*:}" "$f" off >/dev/null 2>&1 || true; done
    done
  fi
  reach "$NS_A" "$HOST_A" "$HOST_B" || { echo "tunnel.sh: the kernel router does not forward (see ip -n $NS_K addr)" >&2; return 1; }
}
kernel_down() { ip netns del "$NS_K" 2>/dev/null || true; sleep 0.3; }

SWAN_L=lab-left; SWAN_R=lab-right
swan_pids() { cat "$LAB_RUN/left/charon.pid" "$LAB_RUN/right/charon.pid" 2>/dev/null || true; }
swan_up() {        # the lab and tunnel strongswan-tunnel.sh builds (left initiates, NAT-T forced)
  SWAN_UP=1
  (cd "$SHARED/lab" && ./lab-up.sh right=conf/natt/right.conf left=conf/natt/left.conf) >"$RUN/swan-up.log" 2>&1 \
    || { echo "tunnel.sh: the strongSwan lab did not start:" >&2; tail "$RUN/swan-up.log" >&2; return 1; }
  (cd "$SHARED/lab" && ./lab-swanctl.sh left --initiate --child net --ike lab --timeout 20) >>"$RUN/swan-up.log" 2>&1 \
    || { echo "tunnel.sh: strongSwan's tunnel did not come up:" >&2; tail "$RUN/swan-up.log" >&2; return 1; }
  reach "$SWAN_L" 10.99.1.1 10.99.2.1 || { echo "tunnel.sh: no traffic through the strongSwan tunnel" >&2; return 1; }
}
swan_down() { (cd "$SHARED/lab" && ./lab-down.sh) >/dev/null 2>&1 || true; SWAN_UP=0; }

# ---------------------------------------------------------------------------- measuring
# Per-thread CPU ticks of the given processes: "pid tid ticks comm" lines.
cpu_snap() {
  local pid t s rest comm
  for pid in "$@"; do
    for t in /proc/"$pid"/task/*; do
      s=$(cat "$t/stat" 2>/dev/null) || continue
      comm=$(cat "$t/comm" 2>/dev/null) || continue
      rest=${s##*) }
      # shellcheck disable=SC2086
      set -- $rest
      echo "$pid ${t##*/} $((${12} + ${13})) $comm"
    done
  done
}
machine_snap() { head -1 /proc/stat; }
dev_rx() { in_ns "$1" cat "/sys/class/net/$2/statistics/rx_packets" 2>/dev/null || echo 0; }
# datagrams that reached the host's UDP layer: delivered to a socket, or dropped there (InErrors
# counts a full receive buffer), so a receiver that gets too little CPU does not hide what the
# router forwarded
udp_in() { in_ns "$1" awk '/^Udp:/ { if (++n == 2) print $2 + $4 }' /proc/net/snmp 2>/dev/null || echo 0; }

PORT=5201
# measure ROUND CASE LEG TRAFFIC SRC_NS SRC DST_NS DST RX_DEV "LABEL:PID ..."
measure() {
  local round="$1" case="$2" leg="$3" traffic="$4" sns="$5" src="$6" dns="$7" dst="$8" rxdev="$9" procs="${10}"
  local tag="$RUN/m-$round-$leg-$traffic" args=() spid pids=() lp
  PORT=$((PORT + 1)); [ "$PORT" -gt 5900 ] && PORT=5202
  case "$traffic" in
    tcp1) args=(-P 1) ;;
    tcp4) args=(-P 4) ;;
    udp64) args=(-u -l 64 -b 0) ;;
  esac
  for lp in $procs; do pids+=("${lp#*:}"); done
  in_ns "$dns" iperf3 -s -1 -B "$dst" -p "$PORT" >"$tag.server" 2>&1 &
  spid=$!; PIDS+=("$spid")
  for _ in $(seq 1 50); do in_ns "$dns" ss -ltnH "sport = :$PORT" 2>/dev/null | grep -q . && break; sleep 0.1; done
  local rx0 rx1 t0 t1 m0 m1 u0 u1
  cpu_snap "${pids[@]}" > "$tag.cpu0"; m0=$(machine_snap); rx0=$(dev_rx "$dns" "$rxdev"); u0=$(udp_in "$dns"); t0=$(date +%s.%N)
  timeout $((SECS + 60)) ip netns exec "$sns" iperf3 -c "$dst" -B "$src" -p "$PORT" -t "$SECS" -J "${args[@]}" \
    >"$tag.json" 2>"$tag.err" || true
  t1=$(date +%s.%N); u1=$(udp_in "$dns"); rx1=$(dev_rx "$dns" "$rxdev"); m1=$(machine_snap); cpu_snap "${pids[@]}" > "$tag.cpu1"
  stop_pid "$spid"
  python3 - "$RES" "$round" "$case" "$leg" "$traffic" "$tag" "$rx0" "$rx1" "$t0" "$t1" "$m0" "$m1" "$procs" "$u0" "$u1" <<'PY'
import json, os, sys
res, rnd, case, leg, traffic, tag, rx0, rx1, t0, t1, m0, m1, procs, u0, u1 = sys.argv[1:]
wall = float(t1) - float(t0)
mbit = pps = float('nan')
err = ''
try:
    d = json.load(open(tag + '.json'))
    if 'error' in d:
        err = d['error']
    r = d['end']['sum_received']
    mbit = r['bits_per_second'] / 1e6
    if traffic == 'udp64':
        pps = r['bytes'] / 64 / r['seconds']
except Exception as e:   # no JSON: the client failed; the row records NaN and the reason
    err = err or ('iperf3 failed: ' + (open(tag + '.err').read().strip() or str(e)))
dev_pps = (int(rx1) - int(rx0)) / wall
# 64-byte UDP: what reached host B's UDP layer, per second of the test (iperf3's own seconds when known)
reached = float('nan')
if traffic == 'udp64':
    secs = wall
    try:
        secs = d['end']['sum_received']['seconds']
    except Exception:
        pass
    reached = (int(u1) - int(u0)) / secs
if traffic != 'udp64' and mbit == mbit:
    pps = dev_pps
a = [int(x) for x in m0.split()[1:]]; b = [int(x) for x in m1.split()[1:]]
tot = sum(b) - sum(a); idle = (b[3] + b[4]) - (a[3] + a[4])
busy = 100.0 * (tot - idle) / tot if tot else float('nan')
hz = os.sysconf('SC_CLK_TCK')
label = {p.split(':')[1]: p.split(':')[0] for p in procs.split()}
def snap(f):
    out = {}
    for line in open(f):
        pid, tid, ticks, comm = line.rstrip('\n').split(' ', 3)
        out[(pid, tid)] = (int(ticks), comm)
    return out
c0, c1 = snap(tag + '.cpu0'), snap(tag + '.cpu1')
threads = {}
for k, (ticks, comm) in c1.items():
    used = ticks - c0.get(k, (0, comm))[0]
    name = label.get(k[0], k[0]) + ':' + comm
    threads[name] = threads.get(name, 0) + used
with open(res, 'a') as f:
    load = open('/proc/loadavg').read().split()[0]
    f.write('\t'.join(['res', rnd, case, leg, traffic, '%.1f' % mbit, '%.0f' % pps, '%.0f' % dev_pps, '%.1f' % busy, load, err,
                       '%.0f' % reached]) + '\n')
    for name, used in sorted(threads.items(), key=lambda x: -x[1]):
        pct = 100.0 * used / hz / wall
        if pct >= 1.0:
            f.write('\t'.join(['cpu', rnd, case, leg, traffic, name, '%.0f' % pct]) + '\n')
if err:
    print('tunnel.sh: %s %s round %s: %s' % (leg, traffic, rnd, err), file=sys.stderr)
extra = '' if reached != reached else ', %.0f pkt/s reached host B' % reached
print('  %-22s %-6s %9.0f Mbit/s %10.0f pkt/s%s  (machine busy %3.0f %%, load %s)' % (leg, traffic, mbit, pps, extra, busy, load), file=sys.stderr)
PY
}

traffic_all() {    # round case leg src-ns src dst-ns dst rx-dev procs
  local x
  # a short unrecorded run first: the JVM compiles the packet path before anything is measured
  [ "$WARMUP" -gt 0 ] && tcp_run "$4" "$5" "$6" "$7" "$WARMUP"
  for x in ${TRAFFIC//,/ }; do measure "$1" "$2" "$3" "$x" "$4" "$5" "$6" "$7" "$8" "$9"; done
}
tcp_run() {        # src-ns src dst-ns dst seconds: unrecorded TCP (the warm-up, the framing check's run)
  in_ns "$3" iperf3 -s -1 -B "$4" -p 5200 >/dev/null 2>&1 &
  local w=$!; PIDS+=("$w")
  for _ in $(seq 1 50); do in_ns "$3" ss -ltnH "sport = :5200" 2>/dev/null | grep -q . && break; sleep 0.1; done
  timeout $(($5 + 60)) ip netns exec "$1" iperf3 -c "$4" -B "$2" -p 5200 -t "$5" >/dev/null 2>&1 || true
  stop_pid "$w"
}

leg_fwd_argate() {
  fwd_up || { fwd_down; return 1; }
  traffic_all "$1" fwd argate "$NS_A" "$HOST_A" "$NS_B" "$HOST_B" "${TAG}b0" "argate:$FWD_PID"
  fwd_down
}
leg_kernel() {     # round on|off
  kernel_up "$2" || { kernel_down; return 1; }
  traffic_all "$1" fwd "kernel-offload-$2" "$NS_A" "$HOST_A" "$NS_B" "$HOST_B" "${TAG}b1" ""
  kernel_down
}
leg_esp_argate() { # round alg encap
  esp_up "$2" "$3" || { esp_down; return 1; }
  traffic_all "$1" esp "argate-$2-$3" "$NS_A" "$HOST_A" "$NS_B" "$HOST_B" "${TAG}b0" "A:$ESP_A_PID B:$ESP_B_PID"
  local bad=0
  wire_check "$3" || bad=1
  esp_down
  return "$bad"
}
leg_swan() {
  swan_up || { swan_down; return 1; }
  local l r; l=$(cat "$LAB_RUN/left/charon.pid"); r=$(cat "$LAB_RUN/right/charon.pid")
  traffic_all "$1" esp strongswan "$SWAN_L" 10.99.1.1 "$SWAN_R" 10.99.2.1 ipsec0 "left:$l right:$r"
  swan_down
}

# ---------------------------------------------------------------------------- the run
note "building/checking the image (./argate --help)"
"$ARGATE" --help >/dev/null 2>&1 || die "$ARGATE --help failed: the image does not build or start"
{
  echo "# bench/tunnel.sh $(date -u +%FT%TZ) secs=$SECS rounds=$ROUNDS cases=$CASES algs=$ALGS encaps=$ENCAPS traffic=$TRAFFIC"
  echo "# host $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r), argate $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'), ethtool=$ETHTOOL"
} > "$OUT/header.txt"

FAILED=0
run_leg() { "$@" || { FAILED=$((FAILED + 1)); echo "tunnel.sh: leg '$*' failed; its rows are missing" >&2; }; }

for round in $(seq 1 "$ROUNDS"); do
  note "round $round of $ROUNDS"
  if has "$CASES" fwd; then
    if [ $((round % 2)) = 1 ]; then
      run_leg leg_fwd_argate "$round"; run_leg leg_kernel "$round" on; [ "$ETHTOOL" = 1 ] && run_leg leg_kernel "$round" off
    else
      run_leg leg_kernel "$round" on; [ "$ETHTOOL" = 1 ] && run_leg leg_kernel "$round" off; run_leg leg_fwd_argate "$round"
    fi
  fi
  if has "$CASES" esp; then
    [ $((round % 2)) = 0 ] && run_leg leg_swan "$round"
    for alg in ${ALGS//,/ }; do
      for encap in ${ENCAPS//,/ }; do run_leg leg_esp_argate "$round" "$alg" "$encap"; done
    done
    [ $((round % 2)) = 1 ] && run_leg leg_swan "$round"
  fi
done

python3 "$here/bench/tunnel-report.py" "$RES" "$OUT/header.txt" | tee "$OUT/report.txt"
echo "(results: $RES; report: $OUT/report.txt; logs: $RUN)" >&2
[ "$FAILED" = 0 ] || { echo "tunnel.sh: $FAILED legs failed (see above)" >&2; exit 1; }
