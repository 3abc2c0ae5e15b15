"""Writes src/test/resources/logit-matching.json: the plugin's loss computed by PyTorch in float64,
in the project's parity-case format, so that LossCase can check the Java loss against it.

    python reference/logit_matching_case.py     (needs torch; run from examples/distiller-plugin)
"""
import json

import torch

torch.manual_seed(3)
s = (torch.randn(8, 10, dtype=torch.float64) * 3).requires_grad_()
t = torch.randn(8, 10, dtype=torch.float64) * 3


def centred(z):
    return z - z.mean(dim=1, keepdim=True)


loss = (centred(s) - centred(t)).pow(2).mean()
loss.backward()


def tensor(x):
    return {"shape": list(x.shape), "data": x.detach().reshape(-1).tolist()}


case = {
    "name": "logit-matching-centred",
    "method": "logit-matching",
    "description": "mean over all entries of (centre(s) - centre(t))^2, centre(z) = z - row mean",
    "params": {"centre": True},
    "dtype": "float64",
    "inputs": {"logits_s": tensor(s), "logits_t": tensor(t)},
    "expected": {"loss": loss.item(), "grad": {"logits_s": tensor(s.grad)}},
    "source": "reference/logit_matching_case.py, torch " + torch.__version__,
}
with open("src/test/resources/logit-matching.json", "w") as f:
    json.dump(case, f)
