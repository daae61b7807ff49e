"""Drift statistics between a reference sample (the training data) and a production
sample, computed as the data drift signal of Azure Machine Learning computes them (its
Spark components in Azure/azureml-assets, assets/model_monitoring), with SciPy."""

import math

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import chisquare, wasserstein_distance


# --8<-- [start:histograms]
def shared_histograms(reference: pd.Series, production: pd.Series):
    """Counts of both samples in the same equal-width bins over their joint range;
    Sturges' rule (log2 of the smaller sample's size, plus one) sets how many."""
    bins = math.ceil(math.log2(min(len(reference), len(production))) + 1)
    low = min(reference.min(), production.min())
    high = max(reference.max(), production.max())
    edges = np.linspace(low, high, bins + 1)
    return np.histogram(reference, edges)[0], np.histogram(production, edges)[0]
# --8<-- [end:histograms]


# --8<-- [start:numerical]
def jensen_shannon_distance(reference: pd.Series, production: pd.Series) -> float:
    """0 for the same distribution, 1 for two that never overlap (base-2 logarithms)."""
    ref, prod = shared_histograms(reference, production)
    return float(jensenshannon(ref / ref.sum(), prod / prod.sum(), base=2))


def normalized_wasserstein_distance(reference: pd.Series, production: pd.Series) -> float:
    """How far the values moved (earth mover's distance), in reference standard
    deviations (the sample standard deviation, kept away from zero)."""
    spread = max(reference.std(), 0.001)
    return float(wasserstein_distance(reference, production) / spread)


def population_stability_index(reference: pd.Series, production: pd.Series) -> float:
    """The sum over the bins of (production share - reference share) times
    ln(production share / reference share). One more count in every bin (Laplace
    smoothing) keeps an empty bin from making it infinite."""
    ref, prod = (counts + 1 for counts in shared_histograms(reference, production))
    ref_share, prod_share = ref / ref.sum(), prod / prod.sum()
    return float(np.sum((prod_share - ref_share) * np.log(prod_share / ref_share)))
# --8<-- [end:numerical]


# --8<-- [start:categorical]
def category_counts(reference: pd.Series, production: pd.Series):
    """How often each category occurs in each sample, over the categories of both."""
    categories = sorted(set(reference) | set(production))
    return (reference.value_counts().reindex(categories, fill_value=0).to_numpy(),
            production.value_counts().reindex(categories, fill_value=0).to_numpy())


def pearsons_chi_squared_p_value(reference: pd.Series, production: pd.Series) -> float:
    """The p-value of Pearson's chi-squared test of the production counts against the
    counts the reference's shares predict: near 1 when nothing changed, near 0 when
    the mix of categories moved."""
    ref, prod = category_counts(reference, production)
    expected = ref / ref.sum() * prod.sum()
    with np.errstate(divide="ignore"):  # a category new in production: p-value 0
        return float(chisquare(prod, expected).pvalue)
# --8<-- [end:categorical]
