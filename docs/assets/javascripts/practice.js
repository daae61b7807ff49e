// Practice questions, the practice exam and the reader's progress (hooks/practice_questions.py
// writes the markup). Progress stays in this browser (localStorage); nothing is sent anywhere.
(() => {
  "use strict";
  const STORE = "azure-ml-notes-progress";

  const progress = {
    read() {
      try {
        return { chapters: {}, answers: {}, ...JSON.parse(localStorage.getItem(STORE) || "{}") };
      } catch {
        return { chapters: {}, answers: {} };
      }
    },
    save(update) {
      const state = progress.read();
      update(state);
      localStorage.setItem(STORE, JSON.stringify(state));
    },
    answered(key, correct) {
      progress.save((s) => { s.answers[key] = { correct, at: Date.now() }; });
    },
    chapterRead(chapter) {
      progress.save((s) => { s.chapters[chapter] = s.chapters[chapter] || Date.now(); });
    },
    reset() {
      localStorage.removeItem(STORE);
    },
  };

  // --- one question -------------------------------------------------------------------------
  function isCorrect(question) {
    const options = [...question.querySelectorAll("[data-option]")];
    if (question.dataset.kind === "order") {
      return options.every((o) => o.querySelector("select").value === o.dataset.position);
    }
    return options.every((o) => o.querySelector("input").checked === o.hasAttribute("data-correct"));
  }

  function mark(question) {
    const correct = isCorrect(question);
    question.classList.toggle("quiz-right", correct);
    question.classList.toggle("quiz-wrong", !correct);
    for (const option of question.querySelectorAll("[data-option]")) {
      const right = question.dataset.kind === "order"
        ? option.querySelector("select").value === option.dataset.position
        : option.hasAttribute("data-correct");
      option.classList.toggle("quiz-option-right", right);
    }
    question.querySelector(".quiz-answer").open = true;
    progress.answered(question.dataset.question, correct);
    return correct;
  }

  function selfCheck(quiz) {
    for (const question of quiz.querySelectorAll("[data-question]")) {
      const button = question.querySelector(".quiz-check");
      button.hidden = false;
      button.addEventListener("click", () => mark(question));
    }
    // The chapter counts as read once the reader reaches its questions.
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        progress.chapterRead(quiz.dataset.selfCheck);
        seen.disconnect();
      }
    });
    seen.observe(quiz);
  }

  // --- the practice exam --------------------------------------------------------------------
  function shuffled(items) {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  // How many questions each domain gets: its share of the weight ranges' midpoints (largest remainder).
  function perDomain(domains, total) {
    const mid = Object.fromEntries(Object.entries(domains).map(([k, d]) => [k, (d.weight[0] + d.weight[1]) / 2]));
    const sum = Object.values(mid).reduce((a, b) => a + b, 0);
    const exact = Object.entries(mid).map(([k, m]) => [k, (total * m) / sum]);
    const counts = Object.fromEntries(exact.map(([k, x]) => [k, Math.floor(x)]));
    let left = total - Object.values(counts).reduce((a, b) => a + b, 0);
    for (const [k] of exact.sort((a, b) => (b[1] % 1) - (a[1] % 1))) {
      if (left-- > 0) counts[k] += 1;
    }
    return counts;
  }

  function draw(bank, outline, domains, total) {
    const byDomain = {};
    for (const q of shuffled(bank.querySelectorAll("[data-question]"))) {
      (byDomain[q.getAttribute(`data-domain-${outline}`)] ||= []).push(q);
    }
    const chosen = [];
    for (const [domain, count] of Object.entries(perDomain(domains, total))) {
      chosen.push(...(byDomain[domain] || []).splice(0, count));
    }
    const rest = shuffled(Object.values(byDomain).flat()); // a domain with too few questions: fill from the others
    chosen.push(...rest.slice(0, total - chosen.length));
    return shuffled(chosen);
  }

  function exam(root) {
    const outlines = JSON.parse(root.dataset.outlines);
    const bank = root.querySelector(".quiz-bank");
    const form = root.querySelector(".quiz-exam-settings");
    const paper = root.querySelector(".quiz-paper");
    const list = paper.querySelector(".quiz-paper-questions");
    const result = root.querySelector(".quiz-result");
    const clock = paper.querySelector(".quiz-clock");
    let timer = null;
    let outline = null;

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      outline = form.elements.outline.value;
      const drawn = draw(bank, outline, outlines[outline], Number(form.elements.count.value));
      list.replaceChildren(...drawn.map((q, n) => {
        const copy = q.cloneNode(true);
        copy.querySelector(".quiz-number").textContent = `${n + 1}.`;
        copy.querySelector(".quiz-answer").hidden = true;
        for (const input of copy.querySelectorAll("input, select")) input.name = `exam-${input.name}`;
        return copy;
      }));
      result.hidden = true;
      paper.hidden = false;
      form.hidden = true;
      const minutes = form.elements.timed.checked ? Number(form.elements.minutes.value) : 0;
      clock.hidden = !minutes;
      if (minutes) start(minutes * 60);
      list.firstElementChild?.scrollIntoView();
    });

    function start(seconds) {
      const end = Date.now() + seconds * 1000;
      const tick = () => {
        const left = Math.max(0, Math.round((end - Date.now()) / 1000));
        clock.textContent = `Time left: ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
        if (left === 0) submit();
      };
      tick();
      timer = setInterval(tick, 1000);
    }

    function submit() {
      clearInterval(timer);
      const questions = [...list.querySelectorAll("[data-question]")];
      const scores = {};
      const wrong = [];
      for (const q of questions) {
        const right = mark(q);
        q.querySelector(".quiz-answer").hidden = false;
        const domain = q.getAttribute(`data-domain-${outline}`);
        scores[domain] ||= { right: 0, total: 0 };
        scores[domain].total += 1;
        scores[domain].right += right ? 1 : 0;
        if (!right) wrong.push(q);
      }
      const right = questions.length - wrong.length;
      const percent = Math.round((100 * right) / questions.length);
      result.querySelector("[data-score]").textContent = `${right} of ${questions.length} correct (${percent} %)`;
      result.querySelector(".quiz-domains tbody").replaceChildren(...Object.entries(outlines[outline])
        .filter(([key]) => scores[key])
        .map(([key, d]) => {
          const row = document.createElement("tr");
          for (const text of [d.name, `${scores[key].right} of ${scores[key].total}`]) {
            row.append(Object.assign(document.createElement("td"), { textContent: text }));
          }
          return row;
        }));
      result.querySelector(".quiz-review").replaceChildren(...wrong.map((q) => {
        const item = document.createElement("li");
        const link = q.querySelector(".quiz-learn").cloneNode(true);
        const stem = q.querySelector(".quiz-stem").cloneNode(true);
        stem.querySelectorAll(".quiz-number, .quiz-hint").forEach((part) => part.remove());
        link.textContent = stem.textContent.trim();
        item.append(link);
        return item;
      }));
      result.querySelector(".quiz-review-none").hidden = wrong.length > 0;
      paper.hidden = true;
      result.hidden = false;
      list.querySelectorAll(".quiz-right").forEach((q) => { q.hidden = true; });
      result.after(list); // the wrong answers, with their explanations, stay on the page to read
      result.scrollIntoView();
    }

    paper.querySelector(".quiz-submit").addEventListener("click", submit);
    result.querySelector(".quiz-again").addEventListener("click", () => {
      paper.querySelector(".quiz-submit").before(list);
      list.replaceChildren();
      result.hidden = true;
      form.hidden = false;
    });
  }

  // --- progress on the home page and the exam map -------------------------------------------
  function showProgress(root) {
    const chapters = JSON.parse(root.dataset.chapters);
    const render = () => {
      const state = progress.read();
      const read = chapters.filter((c) => state.chapters[c.chapter]).length;
      const answers = Object.values(state.answers);
      const correct = answers.filter((a) => a.correct).length;
      const total = chapters.reduce((n, c) => n + c.questions, 0);
      root.querySelector(".quiz-progress-summary").textContent =
        `Chapters read: ${read} of ${chapters.length}. Questions answered: ${answers.length} of ${total}` +
        (answers.length ? `, ${correct} of them correctly.` : ".");
      root.querySelector("tbody").replaceChildren(...chapters.map((c) => {
        const mine = Object.entries(state.answers).filter(([key]) => key.startsWith(`ch${c.chapter}-`));
        const row = document.createElement("tr");
        const link = Object.assign(document.createElement("a"), { href: c.url, textContent: c.title });
        const cells = [link, state.chapters[c.chapter] ? "read" : "–",
          `${mine.filter(([, a]) => a.correct).length} of ${c.questions} right` + (mine.length ? ` (${mine.length} tried)` : "")];
        for (const cell of cells) {
          const td = document.createElement("td");
          td.append(cell);
          row.append(td);
        }
        return row;
      }));
    };
    root.querySelector(".quiz-progress-reset").addEventListener("click", () => { progress.reset(); render(); });
    render();
  }

  document.querySelectorAll("[data-self-check]").forEach(selfCheck);
  document.querySelectorAll("[data-exam]").forEach(exam);
  document.querySelectorAll("[data-progress]").forEach(showProgress);
})();
