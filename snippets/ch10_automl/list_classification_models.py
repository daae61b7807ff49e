from azure.ai.ml.automl import ClassificationModels

# The names that allowed_training_algorithms and blocked_training_algorithms accept.
for model in ClassificationModels:
    print(model.value)
