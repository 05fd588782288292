#!/usr/bin/env python3
"""Golden values of org.engram.kernels.random.Seeds and CounterRng, computed independently of the Java code:
FNV-1a (64-bit) over UTF-8, the SplitMix64 finaliser, and the two-round counter word. SeedsTest asserts them;
a change of any value changes every sweep's draws and must be deliberate (regenerate with this script)."""
M = (1 << 64) - 1


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)


def fnv1a(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & M
    return h


def hash_(s):
    return mix64(fnv1a(s))


def word(key, counter):
    z = mix64((key + 0x9E3779B97F4A7C15 * (counter + 1)) & M)
    return mix64(z ^ ((counter * 0xD6E8FEB86659FD93) & M))


def derive(sweep_seed, key, replicate, stream):
    h = word(sweep_seed & M, hash_(key))
    h = word(h, replicate & M)
    return word(h, hash_(stream))


def signed(x):
    return x - (1 << 64) if x >= 1 << 63 else x


if __name__ == "__main__":
    assert fnv1a("a") == 0xAF63DC4C8601EC8C  # the published FNV-1a 64 test vector
    print("fnv1a('a')", hex(fnv1a("a")))
    for s in ["rnn.reinforcement", "n=100,d=1.1", "", "γ"]:
        print("hash", repr(s), signed(hash_(s)))
    print("word(99, 0)", signed(word(99, 0)))
    print("word(-1, 7)", signed(word(M, 7)))
    print("derive(1, 'n=100', 0, 'init')", signed(derive(1, "n=100", 0, "init")))
    print("derive(-5, 'n=100,d=1.1', 3, 'couplings')", signed(derive(-5, "n=100,d=1.1", 3, "couplings")))
