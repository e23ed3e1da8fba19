#!/usr/bin/env python3
"""Replays a little-endian microsecond pcap onto an interface through AF_PACKET (a tiny
tcpreplay for tests). Usage: send_pcap.py IFACE FILE [PACKETS_PER_SECOND]. Prints the count."""
import socket
import struct
import sys
import time

iface, path = sys.argv[1], sys.argv[2]
pps = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
sent = 0
start = time.monotonic()
with open(path, "rb") as f:
    magic = f.read(24)[:4]
    assert magic == b"\xd4\xc3\xb2\xa1", "expects a little-endian microsecond pcap"
    while True:
        h = f.read(16)
        if len(h) < 16:
            break
        _, _, incl, _ = struct.unpack("<IIII", h)
        s.send(f.read(incl))
        sent += 1
        if pps > 0 and sent % 100 == 0:
            ahead = sent / pps - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
print(sent)
