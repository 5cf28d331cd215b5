"""Schemathesis hooks for the Section 41 API (loaded through SCHEMATHESIS_HOOKS).

The OpenAPI document states every rule of a request that JSON Schema can state. Three it
cannot, and gives in words instead: a national ID's last digit is a check digit of the
first twelve; the dates are measured against today (not in the future, the damage known at
most two years back, the treatment not after it); a document's type is read from its first
bytes. This hook makes generated requests obey exactly those rules, and nothing else, so
every other refusal of a schema-valid request is still a failure. Values the generator made
invalid on purpose (not 13 digits, not a date) are left as they are.

Each generated request also comes from its own client address (the server is started with
TRUSTED_PROXIES=127.0.0.1), as requests from many people would: the per-client limits have
tests of their own, and here they would turn most of the run into 429s.

`map_case` is the one hook every phase (examples, coverage, fuzzing, stateful) applies.
"""

import datetime
import random
import re

import schemathesis

ID = re.compile(r"^[ -]*([0-9][ -]*){13}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def with_check_digit(value):
    if not isinstance(value, str) or not ID.match(value):
        return value
    digits = [int(c) for c in value if c.isdigit()]
    check = (11 - sum(d * (13 - i) for i, d in enumerate(digits[:12])) % 11) % 10
    last = max(i for i, c in enumerate(value) if c.isdigit())
    return value[:last] + str(check) + value[last + 1 :]


def is_date(value):
    if not isinstance(value, str) or not DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def petition(body):
    for part in ("patient", "filer"):
        if isinstance(body.get(part), dict) and "national_id" in body[part]:
            body[part]["national_id"] = with_check_digit(body[part]["national_id"])
    known, treated = body.get("damage_known_date"), body.get("treatment_date")
    if is_date(known) and is_date(treated):
        # Bangkok's today, so a run near midnight UTC does not file "in the future".
        today = (datetime.datetime.utcnow() + datetime.timedelta(hours=7)).date()
        rng = random.Random(known + treated)
        known_on = today - datetime.timedelta(days=rng.randint(0, 700))
        body["damage_known_date"] = known_on.isoformat()
        body["treatment_date"] = (known_on - datetime.timedelta(days=rng.randint(0, 3650))).isoformat()


def document(body):
    content = body.get("file")
    if isinstance(content, str):
        content = content.encode()
    if isinstance(content, (bytes, bytearray)):
        body["file"] = b"%PDF-" + bytes(content)


@schemathesis.hook
def map_case(context, case):
    if isinstance(case.body, dict):
        if case.operation.path.endswith("/documents"):
            document(case.body)
        else:
            petition(case.body)
    headers = dict(case.headers or {})
    headers["X-Forwarded-For"] = "10.%d.%d.%d" % tuple(random.randint(0, 255) for _ in range(3))
    case.headers = headers
    return case
