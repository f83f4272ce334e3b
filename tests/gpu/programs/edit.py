# GPU check, item 7 (latency): edit.cpp's work in Python, for the edit->run comparison.
import torch

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
torch.manual_seed(1)
a = torch.randn(256, 256, device=device)
b = torch.relu(a @ a.t()).sum()
print(f"sum {b.item()} on {device}")
