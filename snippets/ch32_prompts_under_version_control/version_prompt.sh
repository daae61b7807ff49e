#!/usr/bin/env bash
# A prompt's life in Git: a first release, a change on a branch, a reviewed merge, a new tag.
# Run it from this folder to try it out: it makes a new repository in ./prompt-repo.
set -euo pipefail

# --8<-- [start:first]
git init --quiet --initial-branch=main prompt-repo
mkdir -p prompt-repo/prompts
cp prompts/answer_baseline.prompty prompt-repo/prompts/support-answer.prompty
cd prompt-repo
# a scratch repository: your name if Git knows it, a placeholder if not (a CI runner)
git config user.name >/dev/null || git config user.name "Prompt demo"
git config user.email >/dev/null || git config user.email "prompt-demo@example.com"
git add prompts/support-answer.prompty
git commit --quiet -m "Add the support-answer prompt"
git tag -a support-answer/v1.0.0 -m "support-answer 1.0.0"
# --8<-- [end:first]

# --8<-- [start:change]
git switch --quiet -c prompt/grounded-answers
cp ../prompts/answer_grounded.prompty prompts/support-answer.prompty
git diff -- prompts/support-answer.prompty
git commit --quiet -am "support-answer: answer only from the sources, in one sentence"
# --8<-- [end:change]

# --8<-- [start:release]
git switch --quiet main
git merge --quiet --no-ff prompt/grounded-answers \
  -m "Merge prompt/grounded-answers (F1 0.71, 100% grounded)"
git tag -a support-answer/v2.0.0 -m "support-answer 2.0.0: grounded, one-sentence answers"
git log --graph --oneline --decorate
# --8<-- [end:release]
