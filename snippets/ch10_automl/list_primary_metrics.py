from azure.ai.ml.automl import ClassificationPrimaryMetrics

# Each member is a metric a classification job can optimise.
for metric in ClassificationPrimaryMetrics:
    print(metric.name)
