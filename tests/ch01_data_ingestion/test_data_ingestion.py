"""Chapter 1: the extract-transform-load script runs for real on a small raw CSV."""

import pandas as pd

RAW_CSV = """\
Patient ID, Plasma Glucose ,BMI,Diabetic
1,171,43.5,1
2,92,21.2,0
2,92,21.2,0
3,115,29.4,
4,103,NaN,0
"""


def test_prepare_training_data_cleans_and_writes_csv(run_snippet, tmp_path, capsys):
    raw = tmp_path / "raw" / "patients.csv"
    raw.parent.mkdir()
    raw.write_text(RAW_CSV)
    out = tmp_path / "clean" / "patients.csv"

    run_snippet("ch01_data_ingestion/prepare_training_data.py", "--input", str(raw), "--output", str(out))

    cleaned = pd.read_csv(out)
    assert list(cleaned.columns) == ["patient_id", "plasma_glucose", "bmi", "diabetic"]
    # the duplicate of patient 2 and patient 3 (no label) are gone; a missing feature is kept
    assert cleaned["patient_id"].tolist() == [1, 2, 4]
    assert cleaned["diabetic"].tolist() == [1, 0, 0]
    assert cleaned["bmi"].isna().tolist() == [False, False, True]
    assert f"kept 3 of 5 rows -> {out}" in capsys.readouterr().out


def test_clean_uses_the_target_named_on_the_command_line(run_snippet, tmp_path):
    raw = tmp_path / "raw.csv"
    raw.write_text("Age,Outcome-Label\n30,yes\n40,\n")
    out = tmp_path / "clean.csv"

    argv = ["--input", str(raw), "--output", str(out), "--target", "outcome_label"]
    run_snippet("ch01_data_ingestion/prepare_training_data.py", *argv)

    assert pd.read_csv(out).to_dict("records") == [{"age": 30, "outcome_label": "yes"}]
