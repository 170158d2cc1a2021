#!/usr/bin/env python3
"""Thousands of idle keep-alive connections against one server, for bench/run-hostile.sh.

Each connection comes from its own loopback source address block (127.0.1.1, 127.0.1.2, ...,
PER_ADDRESS connections each): wrk and slowhttptest cannot bind a source address, and the
server's per-address limit must count the horde apart from the well-behaved client on
127.0.0.1. Every connection sends one keep-alive request, reads its answer, then stays silent
until the end, as a crowd of browsers that went quiet would. Prints one line of counts.
"""
import argparse
import selectors
import socket
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/health")
    parser.add_argument("--connections", type=int, default=4000)
    parser.add_argument("--per-address", type=int, default=100)
    parser.add_argument("--rate", type=int, default=500, help="new connections per second")
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()

    request = f"GET {args.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    selector = selectors.DefaultSelector()
    counts = dict(opened=0, answered=0, refused=0, closed_while_held=0, failed=0)
    state = {}  # socket -> bytes of its answer so far, or None once answered
    start = time.monotonic()
    deadline = start + args.seconds

    def close(sock):
        selector.unregister(sock)
        sock.close()
        state.pop(sock, None)

    while time.monotonic() < deadline:
        # Open at the given rate; the listen backlog takes bursts, not thousands at once.
        due = min(args.connections, int((time.monotonic() - start) * args.rate) + 1)
        while counts["opened"] + counts["failed"] < due:
            n = counts["opened"] + counts["failed"]
            block = n // args.per_address
            source = f"127.0.{1 + block // 250}.{1 + block % 250}"
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.bind((source, 0))
                sock.setblocking(False)
                sock.connect_ex(("127.0.0.1", args.port))
            except OSError:
                sock.close()
                counts["failed"] += 1
                continue
            counts["opened"] += 1
            state[sock] = b""
            selector.register(sock, selectors.EVENT_WRITE)
        for key, events in selector.select(timeout=0.05):
            sock = key.fileobj
            if events & selectors.EVENT_WRITE:
                try:
                    sock.send(request)
                except OSError:
                    counts["failed"] += 1
                    close(sock)
                    continue
                selector.modify(sock, selectors.EVENT_READ)
                continue
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            answer = state.get(sock)
            if not data:
                if answer is None:
                    counts["closed_while_held"] += 1
                elif answer.startswith(b"HTTP/1.1 503"):
                    counts["refused"] += 1
                else:
                    counts["failed"] += 1
                close(sock)
                continue
            if answer is None:
                continue  # nothing more was asked; a stray byte is ignored
            answer += data
            if b"\r\n\r\n" not in answer:
                state[sock] = answer
                continue
            if answer.startswith(b"HTTP/1.1 503"):
                state[sock] = answer  # the server closes it next
            elif answer.startswith(b"HTTP/1.1 2"):
                counts["answered"] += 1
                state[sock] = None  # held, silent, from now on
            else:
                counts["failed"] += 1
                close(sock)
    held = sum(1 for answer in state.values() if answer is None)
    print("idle-horde: " + " ".join(f"{k}={v}" for k, v in counts.items()) + f" held_at_end={held}")
    for sock in list(state):
        sock.close()


if __name__ == "__main__":
    main()
