"""A small corpus to tune retrieval on: eight short Markdown pages about Azure Machine Learning,
and questions a user asks, each labelled with the sections that answer it.

Labels are graded: 2 = this section answers the question, 1 = same page, related (what a judge
would call partly relevant); every other section counts 0. ``answer`` is a phrase of the answering
section, used to check that a chunk keeps it whole.
"""

DOCUMENTS = {
    "compute": """# Compute targets

## Compute instance
A compute instance is a managed workstation in the cloud for one data scientist. It runs
Jupyter, VS Code and terminals, and it can shut down after a period of inactivity or on a
schedule so that you stop paying for the virtual machine overnight.

## Compute cluster
A compute cluster is a pool of virtual machines that scales between a minimum and a maximum
number of nodes. Set the minimum to zero nodes so that an idle cluster costs nothing; the
cluster grows when jobs are queued and shrinks after the idle time you choose.

## Serverless compute
Serverless compute runs a job without any cluster to create or manage. You name only the
instance type and count in the job, and Azure provisions the machines for the run and
releases them when the job ends.
""",
    "environments": """# Environments

## Curated environments
Curated environments are prebuilt by Microsoft with common frameworks such as scikit-learn and
PyTorch. They are versioned in the azureml registry and start fast because their Docker images
are already built and cached.

## Conda environments
A custom environment combines a Docker base image with a conda file that pins your packages.
Azure builds the image once, stores it in the workspace container registry and reuses it while
the definition stays the same.

## Docker build context
When a conda file is not enough, give the environment a Docker build context: a folder with a
Dockerfile and the files it copies. Azure builds the image on serverless compute unless the
workspace names a compute cluster for image builds.
""",
    "data": """# Data

## Datastores
A datastore holds the connection to an Azure storage service, such as a blob container or a
Data Lake Storage Gen2 file system. Prefer identity-based access over account keys, so that no
secret is stored with the datastore.

## Data assets
A data asset is a versioned reference to a file, a folder or a table. Jobs take an asset by
name and version, which makes every training run reproducible from the same input.

## MLTable
An MLTable file describes how to read tabular data: the paths, the delimiter, the columns to keep
and the types to convert. The mltable package loads it into a pandas data frame on a laptop.
""",
    "jobs": """# Training jobs

## Command jobs
A command job runs one script with its environment, its inputs and a compute target. The job
uploads the code folder as a snapshot, so the run can always be traced back to the exact code.

## Sweep jobs
A sweep job tunes hyperparameters by running many trials of a command job. Choose a sampling
algorithm such as random, grid or Bayesian, a primary metric to maximize, and an early
termination policy such as Bandit to stop poor trials.

## Pipelines
A pipeline chains components, each a reusable step with typed inputs and outputs. A step whose
inputs have not changed can reuse its earlier output, which saves compute on repeated runs.
""",
    "mlflow": """# MLflow in Azure Machine Learning

## Tracking
Every workspace is an MLflow tracking server. Point the MLflow client at the workspace tracking
URI and log parameters, metrics and artifacts from any script or notebook.

## Autologging
Autologging records the parameters, metrics and model of popular libraries without any logging
code. Call mlflow.autolog before training; turn it off when you log custom metrics yourself.

## Model registration
Register a model from the outputs of a run to give it a name and a version in the workspace.
An MLflow model carries its signature and dependencies, so it deploys without a scoring script.
""",
    "endpoints": """# Endpoints

## Managed online endpoints
A managed online endpoint serves real-time predictions over HTTPS. Azure runs the deployments
behind it on virtual machines you choose, scales them, and patches the operating system for you.

## Blue-green rollout
Deploy a new model version as a second deployment, mirror traffic to it or send it a small share,
and move all traffic only when its metrics look right. Rolling back means setting the traffic to
the old deployment again.

## Batch endpoints
A batch endpoint scores large amounts of data asynchronously. Each invocation starts a job on a
compute cluster that reads files from a data asset and writes the predictions to a datastore.
""",
    "security": """# Security

## Managed identity
A managed identity lets the workspace and its compute sign in to other Azure services without
any password in code. Grant the identity a role such as Storage Blob Data Reader on the storage
account it reads.

## Managed virtual network
With a managed virtual network, Azure isolates the compute of the workspace. The outbound mode
allow only approved outbound blocks internet traffic except the destinations you approve.

## Role assignments
Azure role-based access control decides who may do what. Give data scientists the AzureML Data
Scientist role, and give the AzureML Compute Operator role to people who only manage compute.
""",
    "monitoring": """# Model monitoring

## Data drift
Data drift is a change in the distribution of the inputs that the model receives in production
compared with its training data. A drift signal compares the two with statistics such as the
Jensen-Shannon distance or the normalized Wasserstein distance.

## Monitoring signals
A model monitor runs on a schedule and computes signals: data drift, prediction drift, data
quality and feature attribution drift. Each signal has a threshold that marks the run as failed.

## Alerts and retraining
When a signal crosses its threshold, the monitor sends an email alert. An event in Azure Event
Grid can also start a pipeline that retrains the model on recent data.
""",
}

QUERIES = [
    {"question": "My notebook VM keeps billing overnight, how do I stop that?",
     "answer": "shut down after a period of inactivity",
     "relevant": {"compute#compute-instance": 2, "compute#compute-cluster": 1}},
    {"question": "Can a training cluster scale down to nothing when no jobs are queued?",
     "answer": "Set the minimum to zero nodes",
     "relevant": {"compute#compute-cluster": 2, "compute#serverless-compute": 1}},
    {"question": "Can I train without creating or managing any cluster?",
     "answer": "runs a job without any cluster to create or manage",
     "relevant": {"compute#serverless-compute": 2, "compute#compute-cluster": 1}},
    {"question": "Why are the prebuilt environments quicker to start?",
     "answer": "their Docker images are already built and cached",
     "relevant": {"environments#curated-environments": 2, "environments#conda-environments": 1}},
    {"question": "Where does Azure keep the image it builds for my conda file?",
     "answer": "stores it in the workspace container registry",
     "relevant": {"environments#conda-environments": 2, "environments#docker-build-context": 1}},
    {"question": "What do I put in the folder for a Dockerfile-based environment?",
     "answer": "a folder with a Dockerfile and the files it copies",
     "relevant": {"environments#docker-build-context": 2, "environments#conda-environments": 1}},
    {"question": "Is it better to connect storage with keys or with identities?",
     "answer": "Prefer identity-based access over account keys",
     "relevant": {"data#datastores": 2, "security#managed-identity": 1}},
    {"question": "How do I make training reproducible with versioned inputs?",
     "answer": "take an asset by name and version",
     "relevant": {"data#data-assets": 2, "jobs#command-jobs": 1}},
    {"question": "How do I tell Azure ML the delimiter and column types of my CSV?",
     "answer": "the paths, the delimiter, the columns to keep",
     "relevant": {"data#mltable": 2, "data#data-assets": 1}},
    {"question": "How is the code of a job snapshotted so I can trace it later?",
     "answer": "uploads the code folder as a snapshot",
     "relevant": {"jobs#command-jobs": 2, "jobs#sweep-jobs": 1}},
    {"question": "How do I stop bad hyperparameter trials early?",
     "answer": "an early termination policy such as Bandit",
     "relevant": {"jobs#sweep-jobs": 2, "jobs#command-jobs": 1}},
    {"question": "Do unchanged pipeline steps rerun every time?",
     "answer": "can reuse its earlier output",
     "relevant": {"jobs#pipelines": 2, "jobs#command-jobs": 1}},
    {"question": "What tracking URI does MLflow use with a workspace?",
     "answer": "Every workspace is an MLflow tracking server",
     "relevant": {"mlflow#tracking": 2, "mlflow#autologging": 1}},
    {"question": "Should autologging stay on when I log my own metrics?",
     "answer": "turn it off when you log custom metrics yourself",
     "relevant": {"mlflow#autologging": 2, "mlflow#tracking": 1}},
    {"question": "Why don't registered MLflow models need a score.py?",
     "answer": "carries its signature and dependencies",
     "relevant": {"mlflow#model-registration": 2, "endpoints#managed-online-endpoints": 1}},
    {"question": "Do I have to patch the OS of the machines behind a real-time endpoint?",
     "answer": "patches the operating system for you",
     "relevant": {"endpoints#managed-online-endpoints": 2, "endpoints#blue-green-rollout": 1}},
    {"question": "How do I undo a bad rollout of a new model version?",
     "answer": "setting the traffic to the old deployment again",
     "relevant": {"endpoints#blue-green-rollout": 2, "endpoints#managed-online-endpoints": 1}},
    {"question": "Where do predictions of an asynchronous scoring job end up?",
     "answer": "writes the predictions to a datastore",
     "relevant": {"endpoints#batch-endpoints": 2, "data#datastores": 1}},
    {"question": "Which role lets the workspace identity read blobs?",
     "answer": "Storage Blob Data Reader",
     "relevant": {"security#managed-identity": 2, "security#role-assignments": 1}},
    {"question": "How do I block internet access from workspace compute?",
     "answer": "blocks internet traffic except the destinations you approve",
     "relevant": {"security#managed-virtual-network": 2, "security#managed-identity": 1}},
    {"question": "Which role for someone who only starts and stops compute?",
     "answer": "AzureML Compute Operator role",
     "relevant": {"security#role-assignments": 2, "security#managed-identity": 1}},
    {"question": "How is drift between training and production data measured?",
     "answer": "Jensen-Shannon distance or the normalized Wasserstein distance",
     "relevant": {"monitoring#data-drift": 2, "monitoring#monitoring-signals": 1}},
    {"question": "What can a model monitor check besides drift?",
     "answer": "prediction drift, data quality and feature attribution drift",
     "relevant": {"monitoring#monitoring-signals": 2, "monitoring#data-drift": 1}},
    {"question": "Can a drift alert trigger retraining?",
     "answer": "Grid can also start a pipeline that retrains the model",
     "relevant": {"monitoring#alerts-and-retraining": 2, "monitoring#monitoring-signals": 1}},
]

# Questions the corpus cannot answer: a good retriever returns nothing for them.
OFF_TOPIC = [
    "What is the best recipe for sourdough bread?",
    "Who won the football world cup in 1998?",
    "How many moons does Jupiter have?",
]
