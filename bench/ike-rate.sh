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
# argate runs on the JDK ./argate would pick (JAVA_HOME when 17 or later, else the newest JDK found), once per
# DH engine in ENGINES: libcrypto (OpenSSL through JNA, constant-time) and java (BigInteger), the A/B of the same run.
#
# usage (from anywhere): bench/ike-rate.sh
#   FORKS=1 WI=1 W=3 I=3 R=5     JMH forks, warmup iterations/seconds, measurement iterations/seconds
#   GROUPS_ARG="2,14" INFLIGHT="1,16"
#   ENGINES="libcrypto java"     DH engines to measure argate with (-Dargate.dh.engine)
#   ROUNDS=1                     A/B rounds (odd: variants in order then strongSwan; even: the reverse)
#   BASE_JAR=path                also measure another build's benchmarks.jar as variant "base" (e.g. main's)
#   SS_SECS=5 SS_VERIFY=no       strongSwan seconds per point; its 2 s IKEv1 proof run
#   STRONGSWAN=auto|no           run strongSwan when possible (auto) or never
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FORKS="${FORKS:-1}"; WI="${WI:-1}"; W="${W:-3}"; I="${I:-3}"; R="${R:-5}"
GROUPS_ARG="${GROUPS_ARG:-2,14}"; INFLIGHT="${INFLIGHT:-1,16}"
SS_SECS="${SS_SECS:-5}"; SS_VERIFY="${SS_VERIFY:-no}"; STRONGSWAN="${STRONGSWAN:-auto}"
ENGINES="${ENGINES:-libcrypto java}"; ROUNDS="${ROUNDS:-1}"; BASE_JAR="${BASE_JAR:-}"
SS_RUN="$ROOT/../shared/bench/ikev1-rate/run.sh"
OUT="$(mktemp -d /tmp/ike-rate.XXXXXX)"
JAR="$ROOT/bench/target/benchmarks.jar"

if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -o -q -B -pl bench -am package -DskipTests)
fi
# the JDK the router runs on: ./argate's rule (JAVA_HOME when 17 or later, else the highest major under /usr/lib/jvm or on PATH)
java_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -1)
  echo "${v:-0}"
}
JAVA_BIN=""; JAVA_MAJOR=0
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 17 ]; then
  JAVA_BIN="$JAVA_HOME/bin/java"; JAVA_MAJOR=$(java_major "$JAVA_HOME")
else
  homes=(/usr/lib/jvm/*/)
  command -v java >/dev/null 2>&1 && homes+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for h in "${homes[@]}"; do
    h="${h%/}"; m=$(java_major "$h")
    if [ -x "$h/bin/java" ] && [ "$m" -gt "$JAVA_MAJOR" ]; then JAVA_BIN="$h/bin/java"; JAVA_MAJOR=$m; fi
  done
fi
[ -n "$JAVA_BIN" ] || { echo "ike-rate: no Java 17 or later found" >&2; exit 2; }
JVM_OPTS=()
# as ./argate: JNA (libcrypto) loads native code, which JDK 21+ warns about unless allowed
[ "$JAVA_MAJOR" -ge 21 ] && JVM_OPTS+=(--enable-native-access=ALL-UNNAMED)
JAVA_DESC="$("$JAVA_BIN" -version 2>&1 | head -1) ($JAVA_BIN)"
# other engineers' JMH runs hold /tmp/jmh.lock on this shared machine (-Djmh.ignoreLock); the load figures say when it was busy

VARIANTS=($ENGINES)
[ -n "$BASE_JAR" ] && VARIANTS+=(base)
echo "== argate (JMH) on $JAVA_DESC; variants: ${VARIANTS[*]}; $ROUNDS round(s); results in $OUT"

# one variant's two benchmarks into $OUT/r<round>/: an engine of this tree's jar, or "base" (BASE_JAR, its own DH code)
run_argate() {
  local v="$1" dir="$2" jar="$JAR" args=()
  if [ "$v" = base ]; then jar="$BASE_JAR"; else args=(-jvmArgsAppend "${JVM_OPTS[*]} -Dargate.dh.engine=$v"); fi
  local jmh=("$JAVA_BIN" "${JVM_OPTS[@]}" -Djmh.ignoreLock=true -jar "$jar" -f "$FORKS" -wi "$WI" -w "$W" -i "$I" -r "$R" "${args[@]}")
  echo "-- argate $v; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "${jmh[@]}" 'io.argate.bench.isakmp.IkeSetupRateBench' -p group="$GROUPS_ARG" -p inFlight="$INFLIGHT" \
    -rf csv -rff "$dir/rate-$v.csv" | tee "$dir/rate-$v.log" \
    | grep -E '^ike-rate: (measurement|setup)|Exception|^# Parameters' | awk '!/setup/ || !seen[$0]++'
  "${jmh[@]}" 'io.argate.bench.isakmp.IkeDhCostBench' -p group="$GROUPS_ARG" -rf csv -rff "$dir/dh-$v.csv" > "$dir/dh-$v.log"
}

SS_OK=no
if [ "$STRONGSWAN" != no ] && [ "$(id -u)" = 0 ] && [ -x /usr/lib/ipsec/charon ] && command -v swanctl >/dev/null && [ -x "$SS_RUN" ]; then
  SS_OK=yes
else
  echo "== strongSwan not run (needs root, /usr/lib/ipsec/charon, swanctl, $SS_RUN): RESULTS.md figures below"
fi
run_strongswan() {
  [ "$SS_OK" = yes ] || return 0
  echo "-- strongSwan: SECS=$SS_SECS WORKERS_LIST=\"1 16\" $SS_RUN; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  IKEV1_RATE_OUT="$1/strongswan" SECS="$SS_SECS" WORKERS_LIST="1 16" VERIFY="$SS_VERIFY" \
    GROUPS_LIST="modp1024 modp2048" "$SS_RUN" | grep -E 'setups/s|rror' || true
}

# odd rounds run argate's variants in order and strongSwan last, even rounds the reverse, so a drift in load evens out
for r in $(seq 1 "$ROUNDS"); do
  dir="$OUT/r$r"; mkdir -p "$dir"
  order=("${VARIANTS[@]}")
  if [ $((r % 2)) = 0 ]; then
    order=(); for ((k = ${#VARIANTS[@]} - 1; k >= 0; k--)); do order+=("${VARIANTS[k]}"); done
    run_strongswan "$dir"
  fi
  for v in "${order[@]}"; do run_argate "$v" "$dir"; done
  [ $((r % 2)) = 1 ] && run_strongswan "$dir"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT" "$ROUNDS" "$SS_OK" "$JAVA_DESC" "${VARIANTS[@]}" <<'EOP'
import csv, os, re, statistics, sys
out, rounds, ss_ok, java_desc, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "yes", sys.argv[4], sys.argv[5:]
def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))
def med(v):
    return statistics.median(v) if v else None
modp = {"2": "modp1024", "14": "modp2048"}
# per round: argate[(v, g, n)], cpu[(v, g, n)], dh[(v, g)], swan[(g, n)], swan_cpu[(g, n)]
R = []
desc = {}
for r in range(1, rounds + 1):
    d = f"{out}/r{r}"
    a, cpu, dh, swan, scpu = {}, {}, {}, {}, {}
    for v in variants:
        if os.path.exists(f"{d}/rate-{v}.csv"):
            for row in rows(f"{d}/rate-{v}.csv"):
                a[(v, row["Param: group"], row["Param: inFlight"])] = float(row["Score"])
        if os.path.exists(f"{d}/rate-{v}.log"):
            per = {}
            for line in open(f"{d}/rate-{v}.log"):
                m = re.match(r"ike-rate: measurement group=(\d+) inFlight=(\d+) .* both ([\d.]+);", line)
                if m:
                    per.setdefault((v, m.group(1), m.group(2)), []).append(float(m.group(3)))
                m = re.match(r"ike-rate: setup jdk=(\S+) dh=(.*)$", line.strip())
                if m:
                    desc[v] = "JDK " + m.group(1) + ", DH " + m.group(2)
            cpu.update({k: sum(x) / len(x) for k, x in per.items()})
        if os.path.exists(f"{d}/dh-{v}.log"):
            per = {}
            for line in open(f"{d}/dh-{v}.log"):
                m = re.match(r"ike-dh: measurement group=(\d+) .* ([\d.]+)$", line.strip())
                if m:
                    per.setdefault(m.group(1), []).append(float(m.group(2)))
            dh.update({(v, g): sum(x) / len(x) for g, x in per.items()})
    tsv = f"{d}/strongswan/results.tsv"
    if ss_ok and os.path.exists(tsv):
        for line in open(tsv):
            f = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(f) < 7 or f[0].startswith("verify"):
                continue
            g = {x: k for k, x in modp.items()}.get(f[1])
            w = f[3].split("=")[1]
            if g and f[6].endswith("setups/s"):
                rate = float(f[6].split()[0])
                swan[(g, w)] = rate
                m = re.search(r"init=(\d+) resp=(\d+)", line)
                if m and rate > 0:
                    scpu[(g, w)] = (int(m.group(1)) + int(m.group(2))) * 10 / rate
    R.append((a, cpu, dh, swan, scpu))
# ../shared/bench/ikev1-rate/RESULTS.md, measured 2026-11-23 (PFS, same group), used when strongSwan did not run
reference = {("2", "1"): 127.5, ("2", "16"): 175.5, ("14", "1"): 56.2, ("14", "16"): 93.6}
reference_cpu = {("2", "16"): 10.0, ("14", "16"): 20.0}
measured = ss_ok and any(x[3] for x in R)
print()
print("IKEv1 Main Mode + Quick Mode setups/s, PSK, AES-128/SHA1, PFS in the same group; strongSwan: "
      + ("measured in this session" if measured else "RESULTS.md 2026-11-23 (not this session)"))
print("argate on " + java_desc + "; %d round(s), medians over rounds; ratios are per round (same round), then the median" % rounds)
for v in variants:
    print("  %-9s: %s" % (v, desc.get(v, "base jar (its own DH code)" if v == "base" else "not run")))
keys = sorted({k for x in R for k in x[0]}, key=lambda k: (int(k[1]), int(k[2]), variants.index(k[0])))
print("%-9s %-5s %-9s %9s %12s %7s %6s | %s" % ("variant", "group", "in flight", "argate/s", "strongSwan/s", "ratio", "5x",
      "CPU ms per setup: argate (DH share), strongSwan, ratio"))
for k in keys:
    sk = k[1:]
    rates = [x[0][k] for x in R if k in x[0]]
    swans = [x[3][sk] for x in R if sk in x[3]] if measured else [reference[sk]] if sk in reference else []
    ratios = [x[0][k] / (x[3][sk] if measured else reference[sk]) for x in R
              if k in x[0] and ((measured and sk in x[3]) or (not measured and sk in reference))]
    c = med([x[1][k] for x in R if k in x[1]])
    d = med([x[2][(k[0], k[1])] for x in R if (k[0], k[1]) in x[2]])
    split = "%.2f (DH %.2f = %.0f%%)" % (c, d, 100 * d / c) if c and d else "%.2f" % c if c else "n/a"
    sc = med([x[4][sk] for x in R if sk in x[4]]) if measured else reference_cpu.get(sk)
    split += ", %.1f, %.1fx less" % (sc, sc / c) if sc and c else ", n/a"
    ratio = med(ratios)
    print("%-9s %-5s %-9s %9.1f %12s %7s %6s | %s" % (k[0], k[1], k[2], med(rates), "%.1f" % med(swans) if swans else "n/a",
          "%.2fx" % ratio if ratio else "n/a", ("met" if ratio >= 5 else "missed") if ratio else "", split))
# each variant against the last engine (java), round by round
if len(variants) > 1:
    ref = [v for v in variants if v != "base"][-1]
    for v in variants:
        if v == ref:
            continue
        parts = []
        for k in keys:
            if k[0] != v:
                continue
            rk = (ref,) + k[1:]
            per = [x[0][k] / x[0][rk] for x in R if k in x[0] and rk in x[0]]
            if per:
                parts.append("group %s/%s in flight %.2fx" % (k[1], k[2], med(per)))
        print("%s against %s, same rounds: %s" % (v, ref, ", ".join(parts)))
print("Rates are wall-clock and both implementations share the host with whatever else runs; CPU per setup is not:")
print("argate = both daemons' loop-thread and key-pair-thread CPU time / negotiations (measurement iterations); its DH = thread")
print("CPU of IkeDhCostBench (4 key pairs + 4 shared secrets: phase 1 and PFS, both sides, on the same engine);")
print("strongSwan = (init+resp cpu%) / rate.")
EOP
