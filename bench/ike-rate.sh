#!/usr/bin/env bash
# ike-rate.sh - IKEv1 Main Mode + Quick Mode setups per second: argate against strongSwan, same session.
#
# 1. JMH IkeSetupRateBench: two argate ISAKMP daemons in one JVM, each on its own ControlLoop
#    thread, over an in-memory wire (PSK, AES-128/SHA1, PFS in the same group), groups 2 and 14,
#    1 and 16 negotiations in flight. The benchmark throws (no figure) unless every negotiation
#    installed matching SAs on both sides. IkeDhCostBench times the DH work of one negotiation.
# 2. As root with strongSwan installed: ../shared/bench/ikev1-rate/run.sh, short (SS_SECS seconds,
#    workers 1 and 16); otherwise the figures of ../shared/bench/ikev1-rate/RESULTS.md are shown,
#    marked as not measured in this session.
# 3. A table: argate's rate beside strongSwan's with the ratio (goal: 5x), and the CPU split
#    between DH and the rest per negotiation.
#
# usage (from anywhere): bench/ike-rate.sh
#   FORKS=1 WI=1 W=3 I=3 R=5     JMH forks, warmup iterations/seconds, measurement iterations/seconds
#   GROUPS_ARG="2,14" INFLIGHT="1,16"
#   SS_SECS=5 SS_VERIFY=no       strongSwan seconds per point; its 2 s IKEv1 proof run
#   STRONGSWAN=auto|no           run strongSwan when possible (auto) or never
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FORKS="${FORKS:-1}"; WI="${WI:-1}"; W="${W:-3}"; I="${I:-3}"; R="${R:-5}"
GROUPS_ARG="${GROUPS_ARG:-2,14}"; INFLIGHT="${INFLIGHT:-1,16}"
SS_SECS="${SS_SECS:-5}"; SS_VERIFY="${SS_VERIFY:-no}"; STRONGSWAN="${STRONGSWAN:-auto}"
SS_RUN="$ROOT/../shared/bench/ikev1-rate/run.sh"
OUT="$(mktemp -d /tmp/ike-rate.XXXXXX)"
JAR="$ROOT/bench/target/benchmarks.jar"

if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -o -q -B -pl bench -am package -DskipTests)
fi
# other engineers' JMH runs hold /tmp/jmh.lock on this shared machine; the figures say when the host was busy
JMH=(java -Djmh.ignoreLock=true -jar "$JAR" -f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R")

echo "== argate (JMH), results in $OUT; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"${JMH[@]}" 'io.argate.bench.isakmp.IkeSetupRateBench' -p group="$GROUPS_ARG" -p inFlight="$INFLIGHT" \
  -rf csv -rff "$OUT/rate.csv" | tee "$OUT/rate.log" | grep -E '^ike-rate: measurement|Exception|^Iteration|^# Parameters'
"${JMH[@]}" 'io.argate.bench.isakmp.IkeDhCostBench' -p group="$GROUPS_ARG" \
  -rf csv -rff "$OUT/dh.csv" > "$OUT/dh.log"
echo "load after argate: $(cut -d' ' -f1-3 /proc/loadavg)"

SS_TSV=""
if [ "$STRONGSWAN" != no ] && [ "$(id -u)" = 0 ] && [ -x /usr/lib/ipsec/charon ] && command -v swanctl >/dev/null && [ -x "$SS_RUN" ]; then
  echo "== strongSwan: SECS=$SS_SECS WORKERS_LIST=\"1 16\" $SS_RUN"
  IKEV1_RATE_OUT="$OUT/strongswan" SECS="$SS_SECS" WORKERS_LIST="1 16" VERIFY="$SS_VERIFY" \
    GROUPS_LIST="modp1024 modp2048" "$SS_RUN"
  SS_TSV="$OUT/strongswan/results.tsv"
else
  echo "== strongSwan not run (needs root, /usr/lib/ipsec/charon, swanctl, $SS_RUN): RESULTS.md figures below"
fi

python3 - "$OUT/rate.csv" "$OUT/dh.csv" "$OUT/rate.log" "$SS_TSV" "$OUT/dh.log" <<'EOP'
import csv, re, sys
rate_csv, dh_csv, rate_log, ss_tsv, dh_log = sys.argv[1:6]
def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))
argate = {(r["Param: group"], r["Param: inFlight"]): float(r["Score"]) for r in rows(rate_csv)}
dh_cpu = {}
for line in open(dh_log):
    m = re.match(r"ike-dh: measurement group=(\d+) .* ([\d.]+)$", line.strip())
    if m:
        dh_cpu.setdefault(m.group(1), []).append(float(m.group(2)))
dh_ms = {g: sum(v) / len(v) for g, v in dh_cpu.items()}
cpu = {}
for line in open(rate_log):
    m = re.match(r"ike-rate: measurement group=(\d+) inFlight=(\d+) .* both ([\d.]+);", line)
    if m:
        cpu.setdefault((m.group(1), m.group(2)), []).append(float(m.group(3)))
modp = {"2": "modp1024", "14": "modp2048"}
# ../shared/bench/ikev1-rate/RESULTS.md, measured 2026-11-23 (PFS, same group)
reference = {("2", "1"): 127.5, ("2", "16"): 175.5, ("14", "1"): 56.2, ("14", "16"): 93.6}
# RESULTS.md CPU per setup at w=16 (responder + initiator)
swan_cpu = {} if ss_tsv else {("2", "16"): 10.0, ("14", "16"): 20.0}
swan, source = {}, "RESULTS.md 2026-11-23 (not this session)"
if ss_tsv:
    source = "measured in this session"
    for line in open(ss_tsv):
        f = line.rstrip("\n").split("\t")
        if line.startswith("#") or len(f) < 7 or f[0].startswith("verify"):
            continue
        g = {v: k for k, v in modp.items()}.get(f[1])
        w = f[3].split("=")[1]
        if g and f[6].endswith("setups/s"):
            r = float(f[6].split()[0])
            swan[(g, w)] = r
            m = re.search(r"init=(\d+) resp=(\d+)", line)
            if m and r > 0:
                swan_cpu[(g, w)] = (int(m.group(1)) + int(m.group(2))) * 10 / r
print()
print("IKEv1 Main Mode + Quick Mode setups/s, PSK, AES-128/SHA1, PFS in the same group; strongSwan: " + source)
print("%-6s %-9s %10s %12s %7s %6s | %s" % ("group", "in flight", "argate/s", "strongSwan/s", "ratio", "5x", "CPU ms per setup: argate (DH share), strongSwan, ratio"))
for key in sorted(argate, key=lambda k: (int(k[0]), int(k[1]))):
    a = argate[key]
    s = swan.get(key, reference.get(key) if not ss_tsv else None)
    ratio = a / s if s else None
    c = sum(cpu.get(key, [0])) / max(1, len(cpu.get(key, [])))
    d = dh_ms.get(key[0])
    split = "%.2f (DH %.2f = %.0f%%)" % (c, d, 100 * d / c) if c and d else "%.2f" % c
    sc = swan_cpu.get(key)
    split += ", %.1f, %.1fx less" % (sc, sc / c) if sc and c else ", n/a"
    print("%-6s %-9s %10.1f %12s %7s %6s | %s" % (key[0], key[1], a, "%.1f" % s if s else "n/a",
          "%.2fx" % ratio if ratio else "n/a", ("met" if ratio >= 5 else "missed") if ratio else "", split))
print("Rates are wall-clock and both implementations share the host with whatever else runs; CPU per setup is not:")
print("argate = both daemons' loop-thread CPU time / negotiations (measurement iterations); its DH = thread CPU of")
print("IkeDhCostBench (4 key pairs + 4 shared secrets: phase 1 and PFS, both sides); strongSwan = (init+resp cpu%) / rate.")
EOP
