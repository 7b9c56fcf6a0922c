# Known answers for isakmp DhEngineTest (dh-known-answers.txt = the output of python3 dh-known-answers.py): MODP primes from their definition (RFC 2409 section 6,
# RFC 3526: p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) * pi) + k)), pi by Machin's formula
# in decimal, results by Python's pow(). Independent of Java's BigInteger and of OpenSSL.
from decimal import Decimal, getcontext
import hashlib
getcontext().prec = 1400
def atan_inv(x):
    x2 = x * x; term = Decimal(1) / x; s = term; i = 1
    eps = Decimal(10) ** -1390
    while abs(term) > eps:
        term = -term / x2; s += term / (2 * i + 1); i += 1
    return s
PI = 16 * atan_inv(5) - 4 * atan_inv(239)
def prime(n, k):
    fl = int((Decimal(2) ** (n - 130) * PI).to_integral_value(rounding="ROUND_FLOOR"))
    return 2**n - 2**(n - 64) - 1 + 2**64 * (fl + k)
groups = {1: (768, 149686), 2: (1024, 129093), 5: (1536, 741804), 14: (2048, 124476), 15: (3072, 1690314), 16: (4096, 240904)}
def stream(label, nbytes):
    out = b""; c = 0
    while len(out) < nbytes:
        out += hashlib.sha256(f"{label}/{c}".encode()).digest(); c += 1
    return int.from_bytes(out[:nbytes], "big")
print("# group exponent-bits base exponent expected, hex; made by dh-known-answers.py (Python pow, primes from the RFC formula)")
for g, (n, k) in groups.items():
    p = prime(n, k)
    for bits in (160, 220, n - 1):
        x = stream(f"x{g}/{bits}", (bits + 7) // 8) | (1 << (bits - 1))
        x &= (1 << bits) - 1
        for label in ("g", "y"):
            base = 2 if label == "g" else stream(f"y{g}/{bits}", n // 8) % (p - 3) + 2
            print(g, bits, format(base, "x"), format(x, "x"), format(pow(base, x, p), "0%dx" % (n // 4)))
