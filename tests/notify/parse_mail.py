#!/usr/bin/env python3
"""Parses an Internet message with Python's email package, an independent
MIME implementation, and prints what a mail program would see as JSON:
decoded headers, each leaf part's type, parameters, file name and decoded
text, and every defect the parser noticed. Used by tests/notify."""
import email
import email.policy
import json
import sys


def main() -> int:
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [type(d).__name__ for d in message.defects]
    parts = []
    for part in message.walk():
        defects += [type(d).__name__ for d in part.defects]
        if part.is_multipart():
            parts.append({"multipart": part.get_content_type()})
            continue
        parts.append({
            "type": part.get_content_type(),
            "params": {k: v for k, v in part.get_params()[1:]},
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "text": part.get_content().replace("\r\n", "\n")
            if part.get_content_maintype() == "text" else None,
        })
    out = {
        "subject": str(message["subject"]),
        "from": str(message["from"]),
        "to": [str(a) for a in message["to"].addresses],
        "to_addresses": [a.addr_spec for a in message["to"].addresses],
        "message_id": str(message["message-id"]),
        "date": str(message["date"]),
        "defects": defects,
        "parts": parts,
    }
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
