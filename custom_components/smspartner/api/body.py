"""Response bodies read within a fixed size, whatever the network sends."""

from __future__ import annotations

from dataclasses import dataclass
import json
import re
from typing import TYPE_CHECKING, Any, Final
import zlib

import aiohttp
from aiohttp import hdrs

from .exceptions import SmsPartnerInvalidResponseError

if TYPE_CHECKING:
    from zlib import _Decompress

# A credits or send answer is under 2 KiB: a body is read up to this size once
# decoded (and twice that on the wire), and a larger one is an invalid response.
MAX_BODY: Final = 64 * 1024
_READ_CHUNK: Final = 16 * 1024
# gzip or zlib-wrapped deflate (what HTTP's "deflate" means); others are refused.
_DECODERS: Final = {"gzip": 47, "x-gzip": 47, "deflate": 47}
_CHARSET: Final = re.compile(r";\s*charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)
# What the client can decode, for the Accept-Encoding of its requests.
ACCEPT_ENCODING: Final = "gzip, deflate"


@dataclass(frozen=True, slots=True)
class Content:
    """A response body, decoded from its Content-Encoding, at most MAX_BODY bytes."""

    data: bytes
    content_type: str

    def text(self) -> str:
        """Return the body as text, in its charset when Python knows it, else UTF-8."""
        if match := _CHARSET.search(self.content_type):
            try:
                return self.data.decode(match.group(1), "replace")
            except (LookupError, UnicodeError, TypeError):
                pass  # Not a text encoding Python knows: JSON is UTF-8 anyway.
        return self.data.decode("utf-8", "replace")

    def json(self) -> Any:
        """Return the JSON value of the body, or None when it is not JSON."""
        try:
            return json.loads(self.text())
        except (ValueError, RecursionError):
            return None


def _decoder(content_encoding: str) -> _Decompress | None:
    """Return a zlib decompressor for a Content-Encoding, None for identity."""
    codings = [
        coding
        for part in content_encoding.lower().split(",")
        if (coding := part.strip()) not in ("", "identity")
    ]
    if not codings:
        return None
    if len(codings) > 1 or codings[0] not in _DECODERS:
        raise SmsPartnerInvalidResponseError("The API answered an unknown encoding")
    return zlib.decompressobj(_DECODERS[codings[0]])


async def read_body(response: aiohttp.ClientResponse) -> Content:
    """Read and decode at most MAX_BODY bytes of body; a larger one is refused.

    The body is read raw (aiohttp's own decompression is off) and inflated here
    a bounded piece at a time, so a compression bomb costs at most the cap.
    """
    headers = response.headers
    decoder = _decoder(headers.get(hdrs.CONTENT_ENCODING, ""))
    data = bytearray()
    wire = 0
    try:
        async for chunk in response.content.iter_chunked(_READ_CHUNK):
            wire += len(chunk)
            room = MAX_BODY + 1 - len(data)
            data += decoder.decompress(chunk, room) if decoder else chunk
            if len(data) > MAX_BODY or wire > 2 * MAX_BODY:
                response.close()
                raise SmsPartnerInvalidResponseError(
                    f"The API answered more than {MAX_BODY} bytes"
                )
        if decoder is not None:
            data += decoder.flush()
            if not decoder.eof or len(data) > MAX_BODY:
                raise SmsPartnerInvalidResponseError("The API answered a broken body")
    except zlib.error:
        raise SmsPartnerInvalidResponseError("The API answered a broken body") from None
    return Content(bytes(data), headers.get(hdrs.CONTENT_TYPE, ""))
