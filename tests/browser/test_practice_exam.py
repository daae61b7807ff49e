"""The practice exam end to end in Chromium, progress kept across reloads, and the same offline."""

from collections import Counter
from urllib.parse import urljoin

from hooks.questions import outline_domains
from tests.site.pages import CHAPTERS, DOCS

PAPER = ".quiz-paper-questions [data-question]"


def weighted_counts(outline: str, total: int) -> Counter:
    """Questions per domain: each domain's share of the weight ranges' midpoints, by largest remainder."""
    mids = {key: sum(d["weight"]) / 2 for key, d in outline_domains(DOCS / "exam-map.md")[outline].items()}
    exact = {key: total * mid / sum(mids.values()) for key, mid in mids.items()}
    counts = Counter({key: int(x) for key, x in exact.items()})
    for key in sorted(exact, key=lambda k: exact[k] % 1, reverse=True)[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def assert_drawn_by_weight(page, outline: str, drawn: Counter, total: int) -> None:
    """Each domain gets its weighted share, or all the bank has for it (the rest come from other domains)."""
    bank = Counter(q.get_attribute(f"data-domain-{outline}") for q in page.locator(".quiz-bank [data-question]").all())
    wanted = weighted_counts(outline, total)
    assert sum(drawn.values()) == total
    for domain, count in wanted.items():
        if bank[domain] < count:
            assert drawn[domain] == bank[domain], domain
        else:
            assert drawn[domain] >= count, domain
    short = sum(max(0, count - bank[domain]) for domain, count in wanted.items())
    assert sum(drawn[d] - c for d, c in wanted.items() if bank[d] >= c) == short


def answer_first_right_rest_wrong(page) -> int:
    """Answer the first question correctly and leave the others blank; returns how many there are."""
    first = page.locator(PAPER).first
    kind = first.get_attribute("data-kind")
    if kind == "order":
        for option in first.locator("[data-option]").all():
            option.locator("select").select_option(option.get_attribute("data-position"))
    else:
        for option in first.locator("[data-option][data-correct] input").all():
            option.check()
    return page.locator(PAPER).count()


def take_exam(page, outline: str, count: int) -> dict:
    page.select_option("select[name=outline]", outline)
    page.select_option("select[name=count]", str(count))
    page.click("text=Start the exam")
    drawn = Counter(q.get_attribute(f"data-domain-{outline}") for q in page.locator(PAPER).all())
    total = answer_first_right_rest_wrong(page)
    page.click("text=Submit the answers")
    return {"drawn": drawn, "total": total, "score": page.locator("[data-score]").inner_text(),
            "domains": page.locator(".quiz-domains tbody tr").count(),
            "review": [a.get_attribute("href") for a in page.locator(".quiz-review a").all()]}


def test_an_exam_is_drawn_by_domain_weight_scored_and_reviewed(visit):
    page = visit.open("practice-exam/")
    result = take_exam(page, "ai-300", 20)
    assert result["total"] == 20 and result["score"] == "1 of 20 correct (5 %)"
    assert_drawn_by_weight(page, "ai-300", result["drawn"], 20)
    assert result["domains"] == len(result["drawn"]) and len(result["review"]) == 19
    # Each review link opens the section that teaches the question.
    exam_url = page.url
    for href in result["review"][:3]:
        page.goto(urljoin(exam_url, href))
        assert page.locator(f"[id='{href.split('#', 1)[1]}']").count() == 1, href


def test_dp_100_draws_by_its_own_weights(visit):
    page = visit.open("practice-exam/")
    assert_drawn_by_weight(page, "dp-100", take_exam(page, "dp-100", 20)["drawn"], 20)


def test_progress_survives_a_reload_and_can_be_reset(visit):
    page = visit.open("02-workspace/08-compute-targets/")
    question = page.locator("[data-self-check] [data-question]").first
    question.scroll_into_view_if_needed()
    question.locator("[data-option][data-correct] input").check()
    question.locator(".quiz-check").click()
    assert "quiz-right" in question.get_attribute("class")
    page = visit.open("")
    page.reload()
    summary = page.locator(".quiz-progress-summary").inner_text()
    assert f"Chapters read: 1 of {CHAPTERS}" in summary and "1 of them correctly" in summary
    page.click("text=Reset my progress")
    assert f"Chapters read: 0 of {CHAPTERS}" in page.locator(".quiz-progress-summary").inner_text()


def test_the_exam_and_progress_work_offline(visit, unzipped_site):
    page = visit.page
    page.goto((unzipped_site / "practice-exam.html").as_uri(), wait_until="load")
    result = take_exam(page, "ai-300", 10)
    assert result["score"] == "1 of 10 correct (10 %)"
    page.goto((unzipped_site / "index.html").as_uri(), wait_until="load")
    assert "1 of them correctly" in page.locator(".quiz-progress-summary").inner_text()
