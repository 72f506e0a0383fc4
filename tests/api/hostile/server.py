"""A hostile HTTP server on 127.0.0.1 for the bounded-read benchmark.

Run as `python -m tests.api.hostile.server`: it prints its port, then answers every
request by the first segment of its path:
- `/ok/...`: the documented SMS Partner credits (a warm-up);
- `/gzip-bomb/...`: 1 GiB of zeros, gzip-compressed (about 1 MiB on the wire);
- `/big/...`: a 200 MB body;
- `/endless/...`: a chunked body that never ends;
- `/drip/...`: a 64-byte body sent one byte a second.
"""

from __future__ import annotations

import asyncio
import json
import sys
import zlib

GIB = 1 << 30
CHUNK = 1 << 20
OK_BODY = json.dumps(
    {
        "success": True,
        "code": 200,
        "user": {"username": "bench@example.com"},
        "credits": {
            "creditSms": 1,
            "creditSmsECO": 2,
            "creditHlr": 3,
            "toSend": 0,
            "balance": "1.5",
            "currency": "EUR",
        },
    }
).encode()


def gzip_bomb(size: int) -> bytes:
    """Return `size` zero bytes compressed as a gzip stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(CHUNK)
    parts = [compressor.compress(zeros) for _ in range(size // CHUNK)]
    parts.append(compressor.flush())
    return b"".join(parts)


BOMB = gzip_bomb(GIB)


def head(status: str, **headers: str | int) -> bytes:
    """Return a status line and headers."""
    lines = [
        f"HTTP/1.1 {status}",
        *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def answer(path: str, writer: asyncio.StreamWriter) -> None:
    """Write the answer of `path`'s scenario."""
    scenario = path.strip("/").split("/", 1)[0]
    json_type = "application/json"
    if scenario == "gzip-bomb":
        writer.write(
            head(
                "200 OK",
                Content_Type=json_type,
                Content_Encoding="gzip",
                Content_Length=len(BOMB),
            )
        )
        for start in range(0, len(BOMB), CHUNK):
            writer.write(BOMB[start : start + CHUNK])
            await writer.drain()
    elif scenario == "big":
        size = 200_000_000
        writer.write(head("200 OK", Content_Type=json_type, Content_Length=size))
        block = b"{" + b" " * (CHUNK - 1)
        for _ in range(size // CHUNK):
            writer.write(block)
            await writer.drain()
        writer.write(b" " * (size % CHUNK))
    elif scenario == "endless":
        writer.write(
            head("200 OK", Content_Type=json_type, Transfer_Encoding="chunked")
        )
        block = b"%x\r\n%s\r\n" % (CHUNK, b" " * CHUNK)
        while True:
            writer.write(block)
            await writer.drain()
    elif scenario == "drip":
        writer.write(head("200 OK", Content_Type=json_type, Content_Length=64))
        for _ in range(64):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(1)
    else:
        writer.write(
            head("200 OK", Content_Type=json_type, Content_Length=len(OK_BODY))
        )
        writer.write(OK_BODY)
    await writer.drain()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Serve the requests of one connection until it closes."""
    try:
        while request := await reader.readuntil(b"\r\n\r\n"):
            path = request.split(b" ", 2)[1].decode()
            length = 0
            for line in request.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            await answer(path, writer)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main() -> None:
    """Serve on a free port of 127.0.0.1 and print it."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)  # noqa: T201
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
