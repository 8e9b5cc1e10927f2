"""`iei-kg serve` only parses its options and calls `iei_kg.serve.serve`; bad settings are one-line errors."""

from __future__ import annotations

import iei_kg.serve
from iei_kg.cli import EXIT_ERROR, EXIT_OK, main


def test_serve_options_reach_the_library(monkeypatch, kg_dir):
    seen = {}
    monkeypatch.setattr(iei_kg.serve, "serve", lambda config, quiet=False: seen.update(config=config, quiet=quiet))
    monkeypatch.setenv("IEI_KG_TOKEN", "from-env")
    assert main(["serve", "--kg", str(kg_dir), "--port", "0", "--timeout", "2.5", "--max-rows", "7", "--cors", "*",
                 "--allow-update", "--workers", "3", "-q"]) == EXIT_OK
    config = seen["config"]
    assert (config.host, config.port, config.timeout, config.max_rows, config.cors) == ("127.0.0.1", 0, 2.5, 7, "*")
    assert config.allow_update and config.token == "from-env" and config.workers == 3 and seen["quiet"]


def test_defaults_are_safe(monkeypatch, kg_dir):
    seen = {}
    monkeypatch.setattr(iei_kg.serve, "serve", lambda config, quiet=False: seen.update(config=config))
    monkeypatch.delenv("IEI_KG_TOKEN", raising=False)
    assert main(["serve", "--kg", str(kg_dir)]) == EXIT_OK
    config = seen["config"]
    assert config.host == "127.0.0.1" and config.port == 7878 and not config.allow_update and config.cors is None


def test_bad_settings_are_one_line_errors(monkeypatch, kg_dir, tmp_path, capsys):
    monkeypatch.delenv("IEI_KG_TOKEN", raising=False)
    assert main(["serve", "--kg", str(kg_dir), "--port", "0", "--allow-update"]) == EXIT_ERROR
    assert capsys.readouterr().err.strip() == ("iei-kg: --allow-update needs --token TOKEN "
                                               "(clients send 'Authorization: Bearer TOKEN')")
    assert main(["serve", "--kg", str(tmp_path / "missing"), "--port", "0"]) == EXIT_ERROR
    assert "is not an iei-kg graph folder" in capsys.readouterr().err


def test_a_port_in_use_is_a_one_line_error(kg_dir, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--kg", str(kg_dir), "--port", str(port), "-q"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert err.strip() == (f"iei-kg: cannot listen on 127.0.0.1:{port}: the port {port} is in use "
                           f"(stop what uses it, or choose another with --port)")
