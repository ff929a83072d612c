"""The wire format between the parent and its workers (stdlib only; shared by both sides).

Parent -> worker (trusted direction): ``<I`` length + a pickle of
``(call_key, inputs or None, timeout_s, memory_mb, [(seq, source), ...])``.

Worker -> parent (untrusted direction; never unpickled): ``<I`` length + a record:

* ``<IBB`` seq, status code, count; then for ``ok``: ``count`` grids, each ``<BB`` (h, w) + h*w cell
  bytes 0-9; for any other status: count 0, then ``<H`` length + a UTF-8 message.
* the hello record a fresh worker sends once: seq ``HELLO_SEQ``, status ``HELLO_STATUS``, count 0,
  ``<H`` length + JSON text describing the hardening layers that are active.

The parent checks every field (sequence number, status, count, bounds, lengths, cell values, no
trailing bytes); anything else is a protocol violation and the worker is killed and replaced.
"""

from __future__ import annotations

import struct

STATUSES = ("ok", "rejected", "timeout", "memory", "error", "invalid_output", "crash")
OK, REJECTED, TIMEOUT, MEMORY, ERROR, INVALID_OUTPUT, CRASH = range(7)
WORKER_STATUS_CODES = frozenset({OK, REJECTED, TIMEOUT, MEMORY, ERROR, INVALID_OUTPUT})

HELLO_SEQ = 0xFFFF_FFFF
HELLO_STATUS = 0xFF

LEN = struct.Struct("<I")
HEAD = struct.Struct("<IBB")
SHAPE = struct.Struct("<BB")
MSG_LEN = struct.Struct("<H")

MAX_MESSAGE_BYTES = 300
MAX_HELLO_BYTES = 8192
MAX_SIDE = 30
MAX_INPUTS = 100
DIGITS = bytes(range(10))


def max_record_bytes(n_grids: int) -> int:
    return HEAD.size + max(n_grids * (SHAPE.size + MAX_SIDE * MAX_SIDE), MSG_LEN.size + MAX_HELLO_BYTES)


def encode_ok(seq: int, grids: list[tuple[int, int, bytes]]) -> bytes:
    parts = [HEAD.pack(seq, OK, len(grids))]
    for h, w, cells in grids:
        parts.append(SHAPE.pack(h, w))
        parts.append(cells)
    body = b"".join(parts)
    return LEN.pack(len(body)) + body


def encode_message(seq: int, status: int, message: str, limit: int = MAX_MESSAGE_BYTES) -> bytes:
    data = message.encode("utf-8", "replace")[:limit]
    data = data.decode("utf-8", "ignore").encode("utf-8")  # do not cut a character in half
    body = HEAD.pack(seq, status, 0) + MSG_LEN.pack(len(data)) + data
    return LEN.pack(len(body)) + body
