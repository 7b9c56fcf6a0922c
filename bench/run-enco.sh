#!/usr/bin/env bash
# ENCO throughput in one run: openssl speed (the reference, ../shared/bench/openssl-anchors.sh)
# and the JMH CipherBench/DhBench on the same sizes, then MB/s and the argate/openssl ratio.
# Usage: bench/run-enco.sh [openssl-runs] [jmh-extra-args...]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${OUT_DIR:-$here/bench/target/enco}"
mkdir -p "$out"
runs="${1:-1}"; shift || true
(cd "$here" && mvn -q -o -B package -DskipTests -pl bench -am >/dev/null 2>&1 || mvn -q -B package -DskipTests -pl bench -am)
OUT="$out/openssl.tsv" bash "$here/../shared/bench/openssl-anchors.sh" "$runs" 1 >/dev/null
java -jar "$here/bench/target/benchmarks.jar" 'CipherBench|DhBench' -rf csv -rff "$out/jmh.csv" "$@" >"$out/jmh.txt"
python3 - "$out/openssl.tsv" "$out/jmh.csv" <<'PY'
import csv, sys
ossl = {}
for line in open(sys.argv[1]):
    if line.startswith('sym'):
        f = line.split('\t'); ossl[(f[1], int(f[2]))] = float(f[3]) / 1e6
    elif line.startswith('pki'):
        f = line.split('\t'); ossl[(f[1], f[2])] = float(f[3])
ref = {"AES_GCM_128": "aes-128-gcm(aead,per-record IV+AAD+tag)", "AES_GCM_256": "aes-256-gcm(aead,per-record IV+AAD+tag)",
       "AES_CBC_128": "aes-128-cbc(enc)", "AES_CBC_256": "aes-256-cbc(enc)", "TDES_CBC": "des-ede3-cbc(enc)",
       "DES_CBC": "des-cbc(enc,legacy provider)"}
print(f"{'algorithm':28} {'bytes':>6} {'argate MB/s':>12} {'openssl MB/s':>13} {'ratio':>6}")
for row in csv.DictReader(open(sys.argv[2])):
    name = row['Benchmark'].split('.')[-2]
    score = float(row['Score'])
    if name == 'CipherBench':
        alg, size = row['Param: algorithm'], int(row['Param: bytes'])
        mbs = score * size / 1e6
        if '+' in alg:
            a = ossl.get(("aes-128-cbc(enc)", size)); h = ossl.get(("hmac-sha1", size))
            o = 1 / (1 / a + 1 / h) if a and h else None   # openssl composite: cbc then hmac, serially
        else:
            o = ossl.get((ref.get(alg, ''), size))
        print(f"{alg:28} {size:6d} {mbs:12.1f} {o if o else float('nan'):13.1f} {mbs / o if o else float('nan'):6.2f}")
    else:
        grp = row['Param: group']
        o = ossl.get(('ffdh2048', 'derive')) if grp == 'MODP_2048' else None
        print(f"DH {grp:25} {'':6} {score:10.0f}/s {('ffdh2048 %.0f/s' % o) if o else '':>13} {(score / o) if o else float('nan'):6.2f}")
PY
