#!/usr/bin/env python3
"""Mints HS256 JWTs for load tests, one per line, each for a distinct user.

    python3 Benchmarks/tokens.py --secret SECRET --count 20000 > tokens.txt

Claims: sub (user id, counting from --first-user), role, iat and exp (one hour by default). The signing is
Python's hmac over base64url without padding, as RFC 7519 writes it; 20,000 tokens take well under a second.
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import time


def b64url(raw: bytes) -> bytes:
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


def mint(secret: bytes, count: int, first_user: int = 1, role: str = "member", ttl: int = 3600):
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    now = int(time.time())
    tokens = []
    for user in range(first_user, first_user + count):
        claims = {"sub": str(user), "role": role, "iat": now, "exp": now + ttl}
        signing_input = header + b"." + b64url(json.dumps(claims, separators=(",", ":")).encode())
        signature = b64url(hmac.new(secret, signing_input, hashlib.sha256).digest())
        tokens.append((signing_input + b"." + signature).decode())
    return tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--secret", required=True, help="the HS256 secret (auth.jwt_secret)")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--first-user", type=int, default=1)
    parser.add_argument("--role", default="member")
    parser.add_argument("--ttl", type=int, default=3600, help="seconds until exp")
    parser.add_argument("--out", help="file to write (default: stdout)")
    args = parser.parse_args()
    lines = "\n".join(mint(args.secret.encode(), args.count, args.first_user, args.role, args.ttl)) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(lines)
    else:
        sys.stdout.write(lines)


if __name__ == "__main__":
    main()
