"""Reference values for the @spreadops/core tests, computed independently of the TypeScript code
with mpmath at 50 significant digits and printed as the nearest double. Run:
python3 packages/core/src/testdata/reference.py (mpmath 1.3.0). The output is pasted into the
*.test.ts files that cite this script."""
from mpmath import mp, mpf, ncdf, npdf, exp, log, sqrt, diff

mp.dps = 50

print("// normal CDF: [z, N(z)]")
for z in ["-38", "-37", "-30", "-20", "-10", "-8", "-6", "-5", "-4", "-3", "-2", "-1.5", "-1", "-0.7",
          "-0.66", "-0.5", "-0.1", "0", "0.3", "0.66", "0.7", "1", "2", "3", "5", "8"]:
    print(f"  [{z}, {float(ncdf(mpf(z)))!r}],")

print("// normal quantile: [p, N^-1(p)]")
for p in ["1e-300", "1e-100", "1e-20", "1e-10", "0.001", "0.02425", "0.075", "0.3", "0.5", "0.8", "0.975", "0.999999"]:
    target = log(mpf(p))
    x0 = -sqrt(2 * log(1 / mpf(p))) + 1 if mpf(p) < mpf("0.1") else mpf(0)
    q = mp.findroot(lambda x: log(ncdf(x)) - target, x0)
    print(f"  [{p}, {float(q)!r}],")

def bsm(right, S, K, T, r, q, v):
    S, K, T, r, q, v = map(mpf, (S, K, T, r, q, v))
    def price(S=S, K=K, T=T, r=r, v=v):
        d1 = (log(S / K) + (r - q + v * v / 2) * T) / (v * sqrt(T))
        d2 = d1 - v * sqrt(T)
        if right == "call":
            return S * exp(-q * T) * ncdf(d1) - K * exp(-r * T) * ncdf(d2)
        return K * exp(-r * T) * ncdf(-d2) - S * exp(-q * T) * ncdf(-d1)
    p = price()
    delta = diff(lambda s: price(S=s), S)
    gamma = diff(lambda s: price(S=s), S, 2)
    theta = -diff(lambda t: price(T=t), T) / 365
    vega = diff(lambda x: price(v=x), v) / 100
    rho = diff(lambda x: price(r=x), r) / 100
    return [p, delta, gamma, theta, vega, rho]

print("// BSM: [right, S, K, T, r, q, vol, price, delta, gamma, theta/day, vega/pt, rho/pt]")
cases = [
    ("call", "100", "100", "1", "0.05", "0.02", "0.25"),
    ("put", "100", "100", "1", "0.05", "0.02", "0.25"),
    ("call", "500", "620", "0.0273972602739726", "0.045", "0.013", "0.6"),
    ("put", "500", "620", "0.0273972602739726", "0.045", "0.013", "0.6"),
    ("call", "500", "300", "2", "0.045", "0.013", "0.3"),
    ("put", "500", "300", "2", "0.045", "0.013", "0.3"),
    ("put", "42", "40", "0.5", "0.1", "0", "0.2"),
    ("call", "1.56", "1.6", "0.5", "0.06", "0.08", "0.12"),
    ("call", "250", "200", "0.25", "-0.005", "0.03", "1.5"),
    ("put", "250", "200", "0.25", "-0.005", "0.03", "1.5"),
]
for c in cases:
    vals = bsm(*c)
    print("  [\"%s\", %s, %s]," % (c[0], ", ".join(c[1:]), ", ".join(repr(float(x)) for x in vals)))

print("// normalised OTM call c(a, s) at exact double inputs: [a, s, c]")
for a, s in [(0.039810717055349935, 0.001202264434617413), (1.0, 0.03), (5.0, 0.2), (0.5, 0.02), (0.0001, 0.00002),
             (2.0, 0.1), (0.3, 0.25), (0.01, 0.5), (0.0, 1.0), (3.0, 4.0)]:
    a_, s_ = mpf(a), mpf(s)  # the exact double values
    c = exp(-a_ / 2) * ncdf(-a_ / s_ + s_ / 2) - exp(a_ / 2) * ncdf(-a_ / s_ - s_ / 2)
    print(f"  [{a!r}, {s!r}, {float(c)!r}],")
