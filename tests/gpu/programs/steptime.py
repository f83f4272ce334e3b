# GPU check, item 7 (step time): steptime.cpp's training step in Python PyTorch.
import time

import torch

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 1024),
                            torch.nn.ReLU(), torch.nn.Linear(1024, 10)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
x = torch.randn(512, 784, device=device)
y = torch.randint(0, 10, (512,), device=device)


def step():
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()


def sync():
    if device.type == "cuda":
        torch.cuda.synchronize()


steps = 500 if device.type == "cuda" else 20
for _ in range(20):
    step()
sync()
start = time.perf_counter()
for _ in range(steps):
    step()
sync()
print(f"step_ms {(time.perf_counter() - start) * 1000 / steps} on {device}")
