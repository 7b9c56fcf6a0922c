#!/usr/bin/env python3
"""The tables of bench/tunnel.sh: medians over the rounds, the median of the per-round ratios
against the reference measured in the same round, and issue 15's targets MET / NOT MET.

Usage: tunnel-report.py RESULTS.tsv [HEADER.txt]
RESULTS.tsv rows (tab-separated), written by tunnel.sh:
  res  round case leg traffic mbit pps dev_pps machine_busy_pct load_1min error reached_pps
  (reached_pps, 64-byte UDP only: datagrams that reached host B's UDP layer per second, those
  its socket buffer dropped included)
  cpu  round case leg traffic process:thread pct_of_one_core
"""
import math
import statistics
import sys
from collections import defaultdict

TRAFFIC = ['tcp1', 'tcp4', 'udp64']
TRAFFIC_NAME = {'tcp1': 'TCP 1 stream', 'tcp4': 'TCP 4 streams', 'udp64': 'UDP 64 B'}
# issue 15's targets
ESP_RATIO = 4.0        # the ESP tunnel: at least 4x strongSwan's throughput, same run
ESP_MBIT = 2000.0      # and at least 2 Gbit/s
FWD_RATIO = 0.5        # plain forwarding: at least half the kernel's, offloads on
UDP_RATIO = 1.0        # 64-byte UDP: at least the kernel's packet rate


def load(path):
    res = defaultdict(dict)   # (case, leg, traffic) -> round -> (mbit, pps, dev_pps, busy)
    cpu = defaultdict(lambda: defaultdict(list))   # (case, leg, traffic) -> thread -> [pct]
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if f[0] == 'res':
            _, rnd, case, leg, traffic, mbit, pps, dev_pps, busy = f[:9]
            res[(case, leg, traffic)][int(rnd)] = (float(mbit), float(pps), float(dev_pps), float(busy), number(f, 9), number(f, 11))
        elif f[0] == 'cpu':
            _, rnd, case, leg, traffic, thread, pct = f
            cpu[(case, leg, traffic)][thread].append(float(pct))
    return res, cpu


def number(fields, i):
    """A field as a number; NaN when it is missing or not one (results.tsv from an older run)."""
    try:
        return float(fields[i])
    except (IndexError, ValueError):
        return float('nan')


def med(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else float('nan')


def metric(traffic):
    """The figure a ratio compares: throughput for TCP, packets/s for 64-byte UDP."""
    return 1 if traffic == 'udp64' else 0


def figures(res, key):
    rows = res.get(key, {})
    return (med([v[0] for v in rows.values()]), med([v[1] for v in rows.values()]),
            med([v[4] for v in rows.values()]), len(rows))


def ratio(res, key, ref_key, m=None):
    """The median over the rounds that measured both of argate's figure / the reference's."""
    a, r = res.get(key, {}), res.get(ref_key, {})
    m = metric(key[2]) if m is None else m
    xs = [a[n][m] / r[n][m] for n in a if n in r and r[n][m] > 0 and not math.isnan(a[n][m])]
    return med(xs), len(xs)


def fmt(x, spec='{:,.0f}'):
    return '-' if x is None or math.isnan(x) else spec.format(x)


def verdict(ok):
    return 'MET' if ok else 'NOT MET'


def table(rows, header):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: '  '.join(str(c).ljust(w) if i == 0 or i == len(r) - 1 else str(c).rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths)))
    out = [line(header), '  '.join('-' * w for w in widths)]
    out += [line(r) for r in rows]
    return '\n'.join(out)


def main():
    res, cpu = load(sys.argv[1])
    if len(sys.argv) > 2:
        print(open(sys.argv[2]).read().rstrip())
    print('Medians over the rounds; ratio = median of the per-round ratios (argate / the reference\n'
          'measured in the same round): Mbit/s for TCP, packets/s for 64-byte UDP. pkt/s: TCP counts\n'
          'what host B\'s interface received (a GRO super-packet once), UDP the datagrams iperf3\n'
          'received. load: the machine\'s 1-minute load average after the measurement (other work\n'
          'included; on 2 cores, anything above 2 means the figures are mostly the scheduler\'s share).')
    legs = sorted({k[1] for k in res})

    fwd = [t for t in TRAFFIC if ('fwd', 'argate', t) in res]
    if fwd:
        print('\n== Plain forwarding: one argate router vs the Linux kernel forwarding the same namespaces ==')
        rows = []
        for t in fwd:
            am, ap, ab, n = figures(res, ('fwd', 'argate', t))
            km, kp, kb, _ = figures(res, ('fwd', 'kernel-offload-on', t))
            om, op, _, _ = figures(res, ('fwd', 'kernel-offload-off', t))
            r_on, _ = ratio(res, ('fwd', 'argate', t), ('fwd', 'kernel-offload-on', t))
            r_off, _ = ratio(res, ('fwd', 'argate', t), ('fwd', 'kernel-offload-off', t))
            if t == 'udp64':
                target = '>= %.1fx kernel pkt/s: %s' % (UDP_RATIO, verdict(r_on >= UDP_RATIO))
            else:
                target = '>= %.1fx kernel (offloads on): %s' % (FWD_RATIO, verdict(r_on >= FWD_RATIO))
            if math.isnan(r_on):
                target = 'no reference measured'
            rows.append([TRAFFIC_NAME[t], fmt(am), fmt(ap), fmt(km), fmt(kp), fmt(r_on, '{:.2f}'),
                         fmt(om), fmt(op), fmt(r_off, '{:.2f}'), '%s/%s' % (fmt(ab, '{:.1f}'), fmt(kb, '{:.1f}')), n, target])
        print(table(rows, ['traffic', 'argate Mbit/s', 'pkt/s', 'kernel Mbit/s', 'pkt/s', 'ratio',
                           'kernel-no-offload Mbit/s', 'pkt/s', 'ratio', 'load a/k', 'rounds', 'target']))
        if 'udp64' in fwd:
            # what each router forwarded to host B, whether or not iperf3 got the CPU to read it
            a, k = ('fwd', 'argate', 'udp64'), ('fwd', 'kernel-offload-on', 'udp64')
            ar = med([v[5] for v in res[a].values()])
            kr = med([v[5] for v in res.get(k, {}).values()])
            rr, _ = ratio(res, a, k, 5)
            print('\n64-byte UDP that reached host B\'s UDP layer (delivered to iperf3 or dropped at its full socket\n'
                  'buffer): the router\'s forwarding rate, apart from how much CPU the receiver got on the machine')
            print(table([['UDP 64 B', fmt(ar), fmt(kr), fmt(rr, '{:.2f}'),
                          '>= %.1fx kernel pkt/s: %s' % (UDP_RATIO, verdict(rr >= UDP_RATIO)) if not math.isnan(rr) else 'not measured']],
                        ['traffic', 'argate reached pkt/s', 'kernel reached pkt/s', 'ratio', 'target']))

    esp_legs = [l for l in legs if l.startswith('argate-')]
    if esp_legs or any(k[1] == 'strongswan' for k in res):
        print('\n== ESP tunnel: argate-argate (manual SAs) vs strongSwan-strongSwan (kernel-libipsec, ESP in UDP, aes128-sha1) ==')
        rows = []
        for t in TRAFFIC:
            if ('esp', 'strongswan', t) in res:
                sm, sp, sb, n = figures(res, ('esp', 'strongswan', t))
                rows.append(['strongswan', TRAFFIC_NAME[t], fmt(sm), fmt(sp), '1.00', fmt(sb, '{:.1f}'), n, 'reference'])
            for leg in esp_legs:
                key = ('esp', leg, t)
                if key not in res:
                    continue
                am, ap, ab, n = figures(res, key)
                r, _ = ratio(res, key, ('esp', 'strongswan', t))
                if math.isnan(r):
                    target = 'no reference measured'
                elif t == 'udp64':
                    target = '(no target; ratio of pkt/s)'
                else:
                    target = '>= %.0fx strongSwan: %s; >= %.0f Mbit/s: %s' % (
                        ESP_RATIO, verdict(r >= ESP_RATIO), ESP_MBIT, verdict(am >= ESP_MBIT))
                rows.append([leg, TRAFFIC_NAME[t], fmt(am), fmt(ap), fmt(r, '{:.2f}'), fmt(ab, '{:.1f}'), n, target])
        print(table(rows, ['leg', 'traffic', 'Mbit/s', 'pkt/s', 'ratio', 'load', 'rounds', 'target']))

    if cpu:
        print('\n== CPU per thread, % of one core (median over the rounds; threads above 1 %) ==')
        for key in sorted(cpu, key=lambda k: (k[0], k[1], TRAFFIC.index(k[2]))):
            threads = sorted(((med(v), name) for name, v in cpu[key].items()), reverse=True)
            total = sum(p for p, _ in threads)
            shown = ', '.join('%s %.0f' % (name, p) for p, name in threads[:8])
            print('%-22s %-14s total %4.0f  %s' % (key[1], TRAFFIC_NAME[key[2]], total, shown))
    errors = [line.rstrip('\n').split('\t') for line in open(sys.argv[1]) if line.startswith('res')]
    errors = [f for f in errors if len(f) > 10 and f[10]]
    if errors:
        print('\nFailed measurements:')
        for f in errors:
            print('  round %s %s %s: %s' % (f[1], f[3], f[4], f[10]))


if __name__ == '__main__':
    main()
