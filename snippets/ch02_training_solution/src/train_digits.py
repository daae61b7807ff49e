"""Train a small image classifier on scikit-learn's 8x8 handwritten digits."""

import argparse
import shutil

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

parser = argparse.ArgumentParser()
parser.add_argument("--max-iter", type=int, default=200)
args = parser.parse_args()

# nvidia-smi is present on GPU VM sizes; this script itself runs on the CPU.
print("GPU visible:", shutil.which("nvidia-smi") is not None)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
model = LogisticRegression(max_iter=args.max_iter).fit(X_train, y_train)
accuracy = model.score(X_test, y_test)
print(f"accuracy: {accuracy:.3f}")
