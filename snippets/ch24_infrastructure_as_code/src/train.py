"""Train the diabetes progression model: on a laptop, and as the workflow's job."""

from pathlib import Path

import joblib
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

model = Ridge(alpha=0.1).fit(X_train, y_train)
print(f"r2: {model.score(X_test, y_test):.3f}")

Path("outputs").mkdir(exist_ok=True)  # Azure ML uploads what a job writes to ./outputs
joblib.dump(model, "outputs/model.joblib")
