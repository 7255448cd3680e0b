"""Profiles: names, LAB_PROFILE, and how `auto` decides (without ever hanging)."""

from __future__ import annotations

import http.server
import socket
import threading
from pathlib import Path

import pytest

from labsupport import profiles
from labsupport.profiles import PROFILES, profile_choice, resolve_profile

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def fake_cached_repo(cache: Path, repo_folder: str, files: list[str]) -> None:
    """Lay out a repository in the huggingface_hub cache format (refs/main -> snapshot)."""
    commit = "0" * 40
    (cache / repo_folder / "refs").mkdir(parents=True)
    (cache / repo_folder / "refs" / "main").write_text(commit)
    snapshot = cache / repo_folder / "snapshots" / commit
    for name in files:
        (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
        (snapshot / name).write_text("x")


@pytest.fixture
def simulate_device(monkeypatch):
    """Make torch report a CUDA GPU, an Apple GPU (MPS) or neither."""
    import torch

    def simulate(kind: str) -> None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: kind == "cuda")
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: kind == "mps")

    return simulate


@pytest.fixture
def no_network(monkeypatch):
    """Make every attempt to resolve or connect fail loudly, and record it."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_profile_is_frozen():
    with pytest.raises(AttributeError):
        PROFILES["base"].batch_size = 1


def test_unknown_profile_lists_the_valid_ones(monkeypatch):
    with pytest.raises(ValueError) as raised:
        resolve_profile("huge")
    message = str(raised.value)
    assert "huge" in message
    for name in ("tiny", "small", "base", "large", "auto"):
        assert name in message
    monkeypatch.setenv("LAB_PROFILE", "bogus")
    with pytest.raises(ValueError, match="bogus"):
        resolve_profile()


def test_argument_beats_environment_variable(monkeypatch):
    monkeypatch.setenv("LAB_PROFILE", "small")
    assert resolve_profile().name == "small"
    assert resolve_profile("Large").name == "large"
    profile, line = profile_choice()
    assert "LAB_PROFILE" in line and profile.name == "small"


def test_auto_offline_without_cache_picks_tiny_without_network(no_network, simulate_device):
    simulate_device("cpu")
    profile, line = profile_choice("auto")
    assert profile.name == "tiny"
    assert no_network == []
    assert "\n" not in line
    assert "HF_HUB_OFFLINE" in line and "no GPU" in line
    assert "LAB_PROFILE=small" in line and 'lab.setup(profile="small")' in line
    assert "base (the course default, wants a GPU)" in line
    simulate_device("cuda")
    profile, line = profile_choice("auto")
    assert profile.name == "tiny"
    assert "a GPU (cuda)" in line and "google/flan-t5-base" in line
    assert "LAB_PROFILE=base" in line and 'lab.setup(profile="base")' in line


def test_auto_is_the_default_and_prints_one_line(no_network, capsys):
    assert resolve_profile(verbose=True).name == "tiny"
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and printed.startswith("Profile: tiny (auto:")


def cache_repos(cache: Path, profile: str) -> None:
    fake_cached_repo(cache, f"models--google--flan-t5-{profile}",
                     ["config.json", "model.safetensors", "spiece.model"])


@pytest.mark.parametrize("device, cached, expected", [
    ("cuda", ["base"], "base"),
    ("mps", ["base"], "base"),
    ("cuda", ["small", "base"], "base"),
    ("cuda", ["small"], "small"),    # a GPU without base in the cache: small before tiny
    ("cpu", ["small"], "small"),
    ("cpu", ["small", "base"], "small"),
    ("cpu", ["base"], "tiny"),       # never base on a CPU, even when it is cached
    ("cpu", [], "tiny"),
    ("cuda", [], "tiny"),
])
def test_auto_offline_picks_by_device_and_cache(device, cached, expected, no_network, tmp_path,
                                                monkeypatch, simulate_device):
    simulate_device(device)
    cache = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    for name in cached:
        cache_repos(cache, name)
    fake_cached_repo(cache, "datasets--knkarthick--dialogsum", ["test.csv"])
    profile, line = profile_choice()
    assert profile.name == expected
    assert no_network == []
    assert "\n" not in line and line.startswith(f"Profile: {expected} (auto: ")
    assert ("no GPU" in line) == (device == "cpu")
    if expected != "tiny":
        assert "local Hugging Face cache" in line
        assert f"google/flan-t5-{expected}" in line
    gpu = device != "cpu"
    alternative = {"base": "small", "small": "base" if gpu else "tiny",
                   "tiny": "base" if gpu else "small"}
    assert f"LAB_PROFILE={alternative[expected]}" in line
    assert f'lab.setup(profile="{alternative[expected]}")' in line


def test_auto_needs_the_dataset_in_the_cache_too(no_network, tmp_path, monkeypatch,
                                                  simulate_device):
    simulate_device("cuda")
    cache = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    cache_repos(cache, "base")
    assert profile_choice()[0].name == "tiny"  # the dataset is still missing
    fake_cached_repo(cache, "datasets--knkarthick--dialogsum", ["test.csv"])
    assert profile_choice()[0].name == "base"


def test_lab_device_cpu_keeps_auto_off_base(no_network, tmp_path, monkeypatch, simulate_device):
    """LAB_DEVICE=cpu on a GPU machine: setup() will run on the CPU, so auto picks small."""
    simulate_device("cuda")
    monkeypatch.setenv("LAB_DEVICE", "cpu")
    cache = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    cache_repos(cache, "base")
    cache_repos(cache, "small")
    fake_cached_repo(cache, "datasets--knkarthick--dialogsum", ["test.csv"])
    assert profile_choice()[0].name == "small"
    monkeypatch.setenv("LAB_DEVICE", "cuda:1")
    assert profile_choice()[0].name == "base"
    assert profiles.accelerator() == "cuda:1"


def test_cached_model_without_safetensors_weights_does_not_count(tmp_path, monkeypatch):
    cache = tmp_path / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    fake_cached_repo(cache, "models--google--flan-t5-base", ["config.json", "tokenizer.json"])
    assert not profiles.model_in_cache("google/flan-t5-base")


def test_prepared_dataset_in_datasets_cache_counts(tmp_path, monkeypatch):
    prepared = tmp_path / "datasets" / "knkarthick___dialogsum" / "default" / "0.0.0" / "abc"
    prepared.mkdir(parents=True)
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "datasets"))
    assert not profiles.dataset_in_cache("knkarthick/dialogsum")
    (prepared / "dialogsum-test.arrow").write_bytes(b"")
    assert profiles.dataset_in_cache("knkarthick/dialogsum")


def test_auto_on_a_dead_network_does_not_wait_for_the_dns(monkeypatch, simulate_device):
    """DNS that never answers: the socket timeout does not bound it, the deadline must. The
    check is that auto returned while the DNS call was still hanging, not a wall-clock bound
    (this machine is shared)."""
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.example.invalid")
    simulate_device("cuda")
    release = threading.Event()
    calls, answered = [], []

    def hanging_dns(*args, **kwargs):
        calls.append(1)
        release.wait(120)
        answered.append(1)
        raise socket.gaierror("no answer")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_dns)
    try:
        profile, line = profile_choice("auto")
        still_hanging = calls and not answered
    finally:
        release.set()
    assert profile.name == "tiny"
    assert "unreachable" in line
    assert still_hanging  # the probe asked the DNS, and auto did not wait for its answer


def test_unroutable_endpoint_falls_back_to_tiny(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE")
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://10.255.255.1")
    assert profile_choice("auto")[0].name == "tiny"


class _FakeHub(http.server.BaseHTTPRequestHandler):
    served = {"/api/models/google/flan-t5-base", "/api/models/google/flan-t5-small",
              "/api/datasets/knkarthick/dialogsum"}

    def do_GET(self):
        self.send_response(200 if self.path in self.served else 404)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_hub(monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.delenv("HF_HUB_OFFLINE")
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    yield _FakeHub
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("device, expected", [("cuda", "base"), ("mps", "base"), ("cpu", "small")])
def test_auto_with_the_hub_picks_by_device(device, expected, fake_hub, simulate_device):
    simulate_device(device)
    profile, line = profile_choice()
    assert profile.name == expected
    assert "hub serves" in line and f"google/flan-t5-{expected}" in line


def test_auto_needs_both_repositories_on_the_hub(fake_hub, monkeypatch, simulate_device):
    simulate_device("cuda")
    monkeypatch.setattr(fake_hub, "served", {"/api/models/google/flan-t5-base"})
    assert profile_choice()[0].name == "tiny"
    simulate_device("cpu")
    monkeypatch.setattr(fake_hub, "served", {"/api/models/google/flan-t5-base",
                                             "/api/datasets/knkarthick/dialogsum"})
    profile, line = profile_choice()
    assert profile.name == "tiny"  # a CPU wants small, which this hub does not serve
    assert "unreachable or lacks google/flan-t5-small" in line


def test_hub_offline_flag_values(monkeypatch):
    for value, expected in (("1", True), ("true", True), ("ON", True), ("0", False), ("", False)):
        monkeypatch.setenv("HF_HUB_OFFLINE", value)
        assert profiles.hub_offline() is expected
