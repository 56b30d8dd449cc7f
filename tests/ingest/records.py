"""Distinct article records for import tests: no two are duplicates or near-duplicates."""

import json
import random

WORDS = ("harbour council ferry storm budget school river bridge market election court police hospital "
         "train farmers union museum festival airport tunnel mayor minister library park").split()


def article(n: int, **fields) -> dict:
    """Article ``n``: its own seeded word salad, with a title."""
    rng = random.Random(n)
    return {"title": f"Report {n}", "text": " ".join(rng.choice(WORDS) for _ in range(120)) + f" Number {n}.",
            **fields}


def jsonl(records: list[dict]) -> bytes:
    return "\n".join(json.dumps(record) for record in records).encode()
