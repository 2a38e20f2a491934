"""Time the phrase check: 50 rules (the 18 shipped plus synthetic ones), a 1,000-character text.

Usage: .venv/bin/python scripts/bench_phrases.py
A sanity figure, not a test: prints the median and p95 of 200 runs in milliseconds.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emotioncare.settings")

import django  # noqa: E402

django.setup()

from interactions import reference_data  # noqa: E402
from interactions.rules.phrases import Rule, check_phrases, compile_rule  # noqa: E402

RUNS = 200


def synthetic(n: int) -> Rule:
    if n % 2:
        return Rule(
            code=f"synthetic_{n}",
            language="ko",
            phrase=f"테스트 문구 {n}번",
            variants=[f"시험{n}하~", f"re:샘플\\s*{n}(?![0-9])", f"!시험{n}하지 않"],
            reason="synthetic",
            alternative="synthetic",
        )
    return Rule(
        code=f"synthetic_{n}",
        language="en",
        phrase=f"we don't do thing {n}",
        variants=[f"^stop number {n}", f"can't handle case {n}", f"!no stop number {n}"],
        reason="synthetic",
        alternative="synthetic",
    )


def main() -> None:
    rules = [Rule(id=i, **row) for i, row in enumerate(reference_data.PHRASE_RULES, start=1)]
    rules += [synthetic(n) for n in range(50 - len(rules))]
    for rule in rules:
        compile_rule(rule)  # compiled once and cached, as in the running app
    sentence = (
        "고객님, 불편을 드려 죄송합니다. 잘 모르겠어요 하지만 바로 확인해 드리겠습니다. "
        "I'm sorry for the trouble; could you wait a moment while I check? "
    )
    text = (sentence * (1000 // len(sentence) + 1))[:1000]
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        hits = check_phrases(text, rules)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * RUNS) - 1]
    print(
        f"{len(rules)} rules, {len(text)} characters, {len(hits)} hits, {RUNS} runs: "
        f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms"
    )


if __name__ == "__main__":
    main()
