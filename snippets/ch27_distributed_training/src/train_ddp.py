"""Train a small classifier with DistributedDataParallel. Azure ML starts one copy
of this script per process; each copy learns which one it is from its environment."""

import argparse
import os
from pathlib import Path

import mlflow
import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--learning_rate", type=float, default=0.1)
    parser.add_argument("--batch_size", type=int, default=32, help="per process")
    parser.add_argument("--model_dir", type=str, default="outputs/model")
    return parser.parse_args()


# --8<-- [start:setup]
def setup():
    """Join the job's process group. With no init_method, PyTorch uses env://:
    it reads MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK, set by Azure ML."""
    gpu = torch.cuda.is_available()
    dist.init_process_group(backend="nccl" if gpu else "gloo")
    # which of this node's processes (and GPUs) this one is
    local_rank = int(os.environ["LOCAL_RANK"])
    device = torch.device("cuda", local_rank) if gpu else torch.device("cpu")
    print(f"rank {dist.get_rank()} of {dist.get_world_size()}: "
          f"node {os.environ['NODE_RANK']}, local rank {local_rank}, device {device}",
          flush=True)
    return device, gpu
# --8<-- [end:setup]


def make_datasets(features=8):
    """The same synthetic problem in every process (a fixed seed): 512 rows to
    train on, 128 to test on."""
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(640, features, generator=generator)
    y = (X @ torch.randn(features, generator=generator) > 0).long()
    return TensorDataset(X[:512], y[:512]), TensorDataset(X[512:], y[512:])


# --8<-- [start:train]
def train(args, device, gpu):
    rank, world_size = dist.get_rank(), dist.get_world_size()
    train_set, test_set = make_datasets()
    # Each process reads its own 1/WORLD_SIZE of the rows, reshuffled every epoch
    sampler = DistributedSampler(train_set, num_replicas=world_size, rank=rank, seed=0)
    loader = DataLoader(train_set, batch_size=args.batch_size, sampler=sampler)
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2)).to(device)
    # DDP copies rank 0's weights to every process, then averages the
    # gradients of all processes in every backward()
    model = DistributedDataParallel(net, device_ids=[device.index] if gpu else None)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.learning_rate)
    loss_fn = nn.CrossEntropyLoss()
    if rank == 0:
        mlflow.log_params({"learning_rate": args.learning_rate, "epochs": args.epochs,
                           "batch_size": args.batch_size, "world_size": world_size})
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        summed = torch.zeros(2, device=device)  # loss x rows, and rows, of this share
        for features, labels in loader:
            features, labels = features.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(features), labels)
            loss.backward()  # the gradient all-reduce happens here
            optimizer.step()
            rows = torch.tensor(float(len(labels)), device=device)
            summed += torch.stack([loss.detach() * rows, rows])
        dist.all_reduce(summed)  # add up the shares: the loss over all 512 rows
        if rank == 0:
            mlflow.log_metric("train_loss", (summed[0] / summed[1]).item(), step=epoch)
    if rank == 0:
        save(model.module, test_set, device, Path(args.model_dir))
# --8<-- [end:train]


# --8<-- [start:save]
def save(net, test_set, device, model_dir):
    """Rank 0 only: every process holds the same weights, so one copy is enough."""
    features, labels = (tensor.to(device) for tensor in test_set.tensors)
    with torch.no_grad():
        accuracy = (net(features).argmax(dim=1) == labels).float().mean().item()
    mlflow.log_metric("accuracy", accuracy)
    model_dir.mkdir(parents=True, exist_ok=True)
    torch.save(net.state_dict(), model_dir / "model.pt")
    print(f"test accuracy {accuracy:.3f}; weights saved to {model_dir / 'model.pt'}")
# --8<-- [end:save]


if __name__ == "__main__":
    device, gpu = setup()
    train(parse_args(), device, gpu)
    # Leave the group together: the other processes wait here while rank 0 saves the model,
    # so none tears its connections down while a peer still uses the group.
    dist.barrier()
    dist.destroy_process_group()
