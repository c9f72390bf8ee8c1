"""Turning bytes into LEDES text: envelope removal, kind sniffing and per-line decoding.

The format is decided from content, never from the file name. Text formats are decoded as
UTF-8 with undecodable bytes kept as surrogates; a line holding such bytes is re-read as
Windows-1252 ("ANSI", which Collaborati asks for) and warned about, and only bytes neither can
decode become an `encoding` error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from legalops.ledes.formats import ENVELOPE_SMIME
from legalops.ledes.model import Issue

Kind = Literal["text", "xml", "mime", "empty"]

BOM = b"\xef\xbb\xbf"
# An RFC 5322/MIME header at the very start means the LEDES payload is wrapped (S/MIME).
_MIME_START = re.compile(
    rb"(?i)(mime-version|content-type|content-transfer-encoding|content-disposition|date|from|to"
    rb"|subject|message-id)[ \t]*:"
)
_SURROGATES = re.compile("[\udc80-\udcff]+")


def sniff(head: bytes) -> Kind:
    """What the start of a file looks like: LEDES text, XML, a MIME envelope or nothing."""
    head = head.removeprefix(BOM)
    stripped = head.lstrip()
    if not stripped:
        return "empty"
    if stripped.startswith(b"<"):
        return "xml"
    if _MIME_START.match(head):
        return "mime"
    return "text"


@dataclass(frozen=True, slots=True)
class Unwrapped:
    payload: bytes | None
    envelope: str | None
    issue: Issue | None = None


def unwrap_mime(data: bytes) -> Unwrapped:
    """The LEDES payload of an S/MIME message (multipart/signed: the first non-signature part).

    The signature is not verified: that needs the receiver's trust store and is a platform
    concern. Opaque `application/pkcs7-mime` payloads cannot be read without decryption/DER
    decoding and are reported as an `encoding` error.
    """
    import email  # only MIME inputs pay for the email package import
    from email.message import Message

    message = email.message_from_bytes(data.removeprefix(BOM))
    part: Message | None = message
    while part is not None and part.is_multipart():
        parts = [p for p in part.get_payload() if isinstance(p, Message)]
        part = next((p for p in parts if "pkcs7-signature" not in p.get_content_type()), None)
    if part is None or "pkcs7-mime" in part.get_content_type():
        return Unwrapped(
            None,
            ENVELOPE_SMIME,
            Issue(
                "error",
                "encoding",
                "line 1: the file is an S/MIME message whose LEDES payload is encrypted or opaque "
                "(application/pkcs7-mime); send the signed, readable form (multipart/signed)",
                1,
            ),
        )
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = b""
    return Unwrapped(payload, ENVELOPE_SMIME)


def decode_text(data: bytes) -> str:
    """Bytes to str without losing anything: undecodable bytes become lone surrogates that
    `repair_line` later re-reads line by line."""
    data = data.removeprefix(BOM)
    if data.isascii():
        return data.decode("ascii")
    return data.decode("utf-8", "surrogateescape")


def repair_line(line: str) -> tuple[str, str | None]:
    """A line holding undecodable UTF-8 bytes, re-read as Windows-1252.

    Returns the text and None, or (text with U+FFFD, "undecodable") when even Windows-1252
    cannot read some byte, or (text, "cp1252") when it could.
    """
    if _SURROGATES.search(line) is None:
        return line, None
    raw = line.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace"), "undecodable"


def first_non_ascii(text: str) -> str:
    """The first non-ASCII character of a string that is not pure ASCII."""
    return next(ch for ch in text if ord(ch) > 127)
