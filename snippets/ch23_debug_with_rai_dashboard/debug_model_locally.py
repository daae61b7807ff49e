import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# --8<-- [start:train]
# Diabetes data shipped with scikit-learn, in real units (age in years, BMI, ...)
data = load_diabetes(as_frame=True, scaled=False).frame
# A binary label: did the disease progress more than for the median patient?
progression = data.pop("target")
data["high_progression"] = (progression > progression.median()).astype(int)

X = data.drop(columns="high_progression")
y = data["high_progression"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)

model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
print(f"Test accuracy: {model.score(X_test, y_test):.3f}")
# --8<-- [end:train]

# --8<-- [start:cohorts]
# Error analysis by hand: error rate and error coverage per BMI cohort
results = X_test.copy()
results["error"] = model.predict(X_test) != y_test
# right=False closes each bin on the left, [25, 30): a BMI of exactly 25 counts as "25-30"
bmi_bins, bmi_labels = [0, 25, 30, 100], ["bmi < 25", "bmi 25-30", "bmi >= 30"]
results["bmi_cohort"] = pd.cut(results["bmi"], bins=bmi_bins, labels=bmi_labels, right=False)

cohorts = results.groupby("bmi_cohort", observed=True)["error"].agg(rows="size", errors="sum")
cohorts["error_rate"] = cohorts["errors"] / cohorts["rows"]  # how often the model is wrong here
cohorts["error_coverage"] = cohorts["errors"] / results["error"].sum()  # share of all errors found here
print(f"Overall error rate: {results['error'].mean():.3f}")
print(cohorts.round(3))
worst_cohort = cohorts["error_rate"].idxmax()
print(f"Highest error rate: {worst_cohort}")
# --8<-- [end:cohorts]

# --8<-- [start:importance]
# Which features does the model rely on? Shuffle each one and measure the loss of accuracy.
importance = permutation_importance(model, X_test, y_test, n_repeats=10, random_state=0)
ranking = pd.Series(importance.importances_mean, index=X_test.columns).sort_values(ascending=False)
print(ranking.round(3).head(5))
top_feature = ranking.index[0]
# --8<-- [end:importance]

# --8<-- [start:what_if]
# What-if: take the patient predicted "low progression" by the smallest margin
probability = pd.Series(model.predict_proba(X_test)[:, 1], index=X_test.index)
patient = X_test.loc[[probability[probability < 0.5].idxmax()]]
before = model.predict_proba(patient)[0, 1]
heavier = patient.assign(bmi=patient["bmi"] + 1)
after = model.predict_proba(heavier)[0, 1]
print(f"P(high progression): {before:.3f} -> {after:.3f} with BMI +1")

# The smallest BMI increase (in steps of 0.5) that flips the prediction: a counterfactual
steps = np.arange(0.5, 30.5, 0.5)
flip_at = next(s for s in steps if model.predict(patient.assign(bmi=patient["bmi"] + s))[0] == 1)
print(f"The prediction flips to 'high' when BMI rises by {flip_at}")
# --8<-- [end:what_if]
