#!/usr/bin/env python3
"""Two Moons λ cross-check: an independent float64 NumPy implementation of the λ paper's
notebook protocol, sharing no code with jetcurve (python3 + numpy only).

What it does, per seed:
  * data as scikit-learn would make it (sklearn is not needed): make_moons(3000, noise 0.2) with
    make_moons' own random-call order, StandardScaler on all points (population std), exactly
    floor(p·3000) labels of ALL points flipped, then train_test_split(test_size=0.3)'s split;
  * the tanh MLP 2-64-64-2, initialized as the notebook's code does (--init xavier: Glorot uniform
    weights, zero biases) or as PyTorch's nn.Linear default (--init pytorch: weights and biases
    U(±1/√fan_in));
  * Adam (lr 0.01, batch 128, reshuffled every epoch) with hand-written backpropagation;
  * the loss derivatives Dⁿ L[u, …, u], n = 1..4, along random unit input directions u, from
    Taylor-mode jets (truncated power series pushed through tanh, exp and log);
  * the paper's λ: test points whose max softmax probability is in 0.45–0.65 (the 600 nearest
    0.5 if none), 2 directions per point, the least-squares slope over n of the mean of
    log max(|Dⁿ L|, 1e-12).
It prints λ and the test error per seed, then mean ± std (sample std) over the seeds.

    python3 scripts/moons-crosscheck.py --init pytorch --noise 0.3 --epochs 25 --seeds 10

Figures of this computation (README, reproduction; seeds 42.., the same per-seed λ as this
script on the seeds compared): 25 epochs, clean, 20 seeds: xavier 1.66, pytorch 2.01 (the
paper: 1.98); 30% noise, 10 seeds: xavier 0.90, pytorch 1.50 (the paper: 1.59).
"""
import argparse
import math

import numpy as np

POINTS, TEST_FRACTION, INPUT_NOISE = 3000, 0.3, 0.2
SIZES = (2, 64, 64, 2)
BAND, FALLBACK = (0.45, 0.65), 600
ORDERS, DIRECTIONS = 4, 2


# ----------------------------------------------------------------------------- data
def moons(n, noise, seed):
    """make_moons(n, noise=noise, random_state=seed): two arcs, shuffled, then Gaussian noise."""
    rs = np.random.RandomState(seed)
    upper, lower = n // 2, n - n // 2
    t_up, t_low = np.linspace(0, np.pi, upper), np.linspace(0, np.pi, lower)
    x = np.concatenate([np.cos(t_up), 1 - np.cos(t_low)])
    y = np.concatenate([np.sin(t_up), 1 - np.sin(t_low) - 0.5])
    points = np.stack([x, y], axis=1)
    labels = np.concatenate([np.zeros(upper, np.int64), np.ones(lower, np.int64)])
    order = np.arange(n)
    rs.shuffle(order)  # sklearn.utils.shuffle draws exactly this permutation
    return points[order] + rs.normal(scale=noise, size=(n, 2)), labels[order]


def dataset(label_noise, seed):
    """The notebook's pipeline: scale on all points, flip labels of all points, then split 70/30."""
    x, clean = moons(POINTS, INPUT_NOISE, seed)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    noisy = clean.copy()
    if label_noise > 0:
        flipped = np.random.default_rng(seed + 123).choice(POINTS, size=int(label_noise * POINTS), replace=False)
        noisy[flipped] = 1 - noisy[flipped]
    n_test = math.ceil(TEST_FRACTION * POINTS)
    order = np.random.RandomState(seed).permutation(POINTS)  # ShuffleSplit's: test first
    test, train = order[:n_test], order[n_test:]
    return x[train], noisy[train], x[test], noisy[test], clean[test]


# ----------------------------------------------------------------------------- model
def initial_parameters(kind, rng):
    """[W1, b1, W2, b2, W3, b3], W as [in, out] (applied as x @ W)."""
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        if kind == 'xavier':
            a = math.sqrt(6 / (fan_in + fan_out))
            params += [rng.uniform(-a, a, (fan_in, fan_out)), np.zeros(fan_out)]
        else:
            a = 1 / math.sqrt(fan_in)
            params += [rng.uniform(-a, a, (fan_in, fan_out)), rng.uniform(-a, a, fan_out)]
    return params


def logits(params, x):
    w1, b1, w2, b2, w3, b3 = params
    return np.tanh(np.tanh(x @ w1 + b1) @ w2 + b2) @ w3 + b3


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def gradients(params, x, y):
    """Gradient of the mean cross-entropy, by hand."""
    w1, b1, w2, b2, w3, b3 = params
    h1 = np.tanh(x @ w1 + b1)
    h2 = np.tanh(h1 @ w2 + b2)
    delta = softmax(h2 @ w3 + b3)
    delta[np.arange(len(y)), y] -= 1
    delta /= len(y)
    d2 = (delta @ w3.T) * (1 - h2 ** 2)
    d1 = (d2 @ w2.T) * (1 - h1 ** 2)
    return [x.T @ d1, d1.sum(0), h1.T @ d2, d2.sum(0), h2.T @ delta, delta.sum(0)]


def train(params, x, y, epochs, rng, lr=1e-2, batch=128, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam as torch.optim.Adam computes it; the last, partial batch of an epoch is kept."""
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch):
            rows = order[start:start + batch]
            step += 1
            for p, g, m, v in zip(params, gradients(params, x[rows], y[rows]), first, second):
                m[:] = beta1 * m + (1 - beta1) * g
                v[:] = beta2 * v + (1 - beta2) * g * g
                p -= lr / (1 - beta1 ** step) * m / (np.sqrt(v / (1 - beta2 ** step)) + eps)


# ----------------------------------------------------------------------------- jets
# A jet is an array [K+1, ...] of Taylor coefficients in t; products are Cauchy products.
def jet_tanh(z):
    """y = tanh z from y' = (1 - y²) z'."""
    y, slope = np.zeros_like(z), np.zeros_like(z)  # slope = 1 - y²
    y[0] = np.tanh(z[0])
    slope[0] = 1 - y[0] ** 2
    for k in range(1, len(z)):
        y[k] = sum(j * z[j] * slope[k - j] for j in range(1, k + 1)) / k
        slope[k] = -sum(y[i] * y[k - i] for i in range(k + 1))
    return y


def jet_exp(z):
    """e = exp z from e' = e z'."""
    e = np.zeros_like(z)
    e[0] = np.exp(z[0])
    for k in range(1, len(z)):
        e[k] = sum(j * z[j] * e[k - j] for j in range(1, k + 1)) / k
    return e


def jet_log(s):
    """l = log s from s l' = s'."""
    l = np.zeros_like(s)
    l[0] = np.log(s[0])
    for k in range(1, len(s)):
        l[k] = (k * s[k] - sum(j * l[j] * s[k - j] for j in range(1, k))) / (k * s[0])
    return l


def loss_derivatives(params, x, y, u, order):
    """Dⁿ L(x)[u, …, u] for n = 1..order: n! times the coefficients of t ↦ CE(f(x + t u), y)."""
    w1, b1, w2, b2, w3, b3 = params
    z = np.zeros((order + 1, len(x), w1.shape[1]))
    z[0], z[1] = x @ w1 + b1, u @ w1
    z = jet_tanh(z) @ w2
    z[0] += b2
    z = jet_tanh(z) @ w3
    z[0] += b3
    shift = z[0].max(axis=1)
    z[0] -= shift[:, None]  # log-sum-exp stays finite; the shift cancels in the loss
    loss = jet_log(jet_exp(z).sum(axis=2)) - z[:, np.arange(len(y)), y]
    return np.array([math.factorial(n) * loss[n] for n in range(1, order + 1)])


def paper_lambda(params, x, y, rng):
    """The paper's estimator on the points near the decision boundary."""
    p_max = softmax(logits(params, x)).max(axis=1)
    near = np.flatnonzero((p_max >= BAND[0]) & (p_max <= BAND[1]))
    if near.size == 0:
        near = np.argsort(np.abs(p_max - 0.5))[:FALLBACK]
    x, y = x[near], y[near]
    logs = []
    for _ in range(DIRECTIONS):
        u = rng.standard_normal(x.shape)
        u /= np.linalg.norm(u, axis=1, keepdims=True) + 1e-12
        logs.append(np.log(np.maximum(np.abs(loss_derivatives(params, x, y, u, ORDERS)), 1e-12)))
    means = np.concatenate(logs, axis=1).mean(axis=1)  # mean over (point, direction), per order
    slope = np.polyfit(np.arange(1, ORDERS + 1), means, 1)[0]
    return float(slope), int(near.size)


# ----------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--init', choices=['xavier', 'pytorch'], default='xavier', help='xavier: the notebook\'s code; pytorch: nn.Linear\'s default')
    ap.add_argument('--noise', type=float, default=0.3, help='fraction of all labels flipped (default 0.3)')
    ap.add_argument('--epochs', type=int, default=25)
    ap.add_argument('--seeds', type=int, default=10, help='how many seeds')
    ap.add_argument('--first-seed', type=int, default=42, help='data seed of the first run (the notebook: 42)')
    a = ap.parse_args()
    print(f'init {a.init}, label noise {a.noise}, {a.epochs} epochs, seeds {a.first_seed}..{a.first_seed + a.seeds - 1}')
    lams, errs = [], []
    for seed in range(a.first_seed, a.first_seed + a.seeds):
        x_train, y_train, x_test, y_test, y_test_clean = dataset(a.noise, seed)
        rng = np.random.default_rng(seed + 1000)  # initialization and batches
        params = initial_parameters(a.init, rng)
        train(params, x_train, y_train, a.epochs, rng)
        lam, band = paper_lambda(params, x_test, y_test, np.random.default_rng(seed + 777))
        predicted = logits(params, x_test).argmax(axis=1)
        err, err_clean = float((predicted != y_test).mean()), float((predicted != y_test_clean).mean())
        lams.append(lam)
        errs.append(err)
        print(f'seed {seed}: λ {lam:.3f} ({band} points in the band), test error {100 * err:.2f}% (clean labels {100 * err_clean:.2f}%)', flush=True)
    sd = lambda v: float(np.std(v, ddof=1)) if len(v) > 1 else 0.0
    print(f'mean over {len(lams)} seeds: λ {np.mean(lams):.3f} ± {sd(lams):.3f}, test error {100 * np.mean(errs):.2f}% ± {100 * sd(errs):.2f}%')


if __name__ == '__main__':
    main()
