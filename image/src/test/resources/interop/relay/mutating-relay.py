#!/usr/bin/env python3
"""A UDP relay for IKE that damages a seeded fraction of the ISAKMP messages it carries.

Runs in the NAT namespace of the interop topology (argate inside, the peer outside). iptables
REDIRECTs argate's UDP 500 and 4500 to this relay's ports 10500 and 14500; the relay sends each
datagram on to the peer from the NAT's outside address with the same port, and the peer's answers
back through the redirected socket, so conntrack gives them the peer's address and port again.
ISAKMP messages (everything on 500, non-ESP-marked ones on 4500) are damaged one in EVERY in
each direction, starting with the second (so a retransmission of a damaged message goes through),
by truncation (both ways) or a header length beyond the datagram (towards argate; the kind chosen
by SEED): damage the receiver can tell, so it drops the message and the retransmission carries
the exchange on. strongSwan 5.9 parses a message by its payloads and reads one whose header length
is wrong, or with bytes appended, as valid; it then takes the sender's clean retransmission for a
different message, answers it with an error notification, and the exchange stalls until it is
restarted. So towards strongSwan only truncation is used. ESP in UDP and
keepalives pass untouched. Every damaged datagram is logged as one line to stdout:
"damaged <direction> <port> <kind> <length>". It stops by itself after LIFETIME seconds.

usage: mutating-relay.py PEER OUTSIDE SEED EVERY LIFETIME
"""
import random
import select
import socket
import sys
import time

peer, outside, seed, every, lifetime = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
rnd = random.Random(seed)
ports = {500: 10500, 4500: 14500}
inner = {}   # ike port -> socket receiving argate's redirected datagrams
outer = {}   # ike port -> socket towards the peer, bound to the outside address
argate = {}  # ike port -> argate's (address, port) last seen
for port, redirected in ports.items():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", redirected))
    inner[port] = s
    o = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    o.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    o.bind((outside, port))
    outer[port] = o
print("relaying", flush=True)


def isakmp(port, data):
    if port == 500:
        return len(data) >= 28
    return len(data) >= 32 and data[:4] == b"\0\0\0\0"


seen = {"to-peer": 0, "to-argate": 0}


def damage(port, data, direction):
    if not isakmp(port, data):
        return data
    seen[direction] += 1
    if seen[direction] % every != 2 % every:
        return data
    start = 0 if port == 500 else 4
    kind = "truncated" if direction == "to-peer" else rnd.choice(["truncated", "length"])
    if kind == "truncated":
        out = data[:start + rnd.randrange(1, len(data) - start)]
    elif kind == "length":
        length = (len(data) - start + rnd.choice([1, 8, 1000])) & 0xffffffff
        out = data[:start + 24] + length.to_bytes(4, "big") + data[start + 28:]
    print("damaged %s %d %s %d" % (direction, port, kind, len(out)), flush=True)
    return out


end = time.time() + lifetime
sockets = list(inner.values()) + list(outer.values())
while time.time() < end:
    ready, _, _ = select.select(sockets, [], [], 0.5)
    for s in ready:
        data, source = s.recvfrom(65535)
        for port in ports:
            if s is inner[port]:
                argate[port] = source
                outer[port].sendto(damage(port, data, "to-peer"), (peer, port))
            elif s is outer[port] and port in argate:
                inner[port].sendto(damage(port, data, "to-argate"), argate[port])
