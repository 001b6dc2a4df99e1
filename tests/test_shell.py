"""The SQL shell, driven through text streams the way a pipe or a terminal would."""

from __future__ import annotations

import csv
import os
import select
import signal
import sys
import time
import io
import json

import pytest

from tracker.errors import TrackerError
from tracker.shell import CONTINUATION, PROMPT, Shell, is_complete, list_tables, run_query, schema_text


@pytest.fixture
def filled(con):
    con.execute("CREATE TABLE firms (id VARCHAR, name VARCHAR, listed DATE)")
    con.execute("INSERT INTO firms VALUES ('baba', 'Alibaba', '2014-09-19'), ('ant', 'Börsengang AG', NULL)")
    con.execute("CREATE VIEW listed_firms AS SELECT id FROM firms WHERE listed IS NOT NULL")
    return con


class Terminal(io.StringIO):
    """Input that claims to be a terminal, so the shell prompts (readline is only used on sys.stdin)."""

    def isatty(self):
        return True


def session(con, text: str, stdin_cls=io.StringIO) -> tuple[str, int]:
    out = io.StringIO()
    status = Shell(con, stdin_cls(text), out).run()
    return out.getvalue(), status


def test_multi_line_statement_runs_when_the_semicolon_arrives(filled):
    out, status = session(filled, "SELECT name\nFROM firms\n\nWHERE id = 'ant'\n;\n")
    assert out.splitlines() == ["name", "-------------", "Börsengang AG"]
    assert status == 0


def test_semicolon_inside_a_string_does_not_end_the_statement(filled):
    out, _ = session(filled, "SELECT 'a;\nb' AS t;\n")
    assert out.splitlines()[2] == "a; b"  # newline folded so the table stays one row per line
    assert not is_complete("SELECT 'x;") and not is_complete("SELECT 1 -- done;")
    assert is_complete("SELECT 'Börsengang' ; -- trailing comment")


def test_prompts_only_on_a_terminal(filled):
    out, _ = session(filled, "SELECT 1 AS one\n;\n.quit\n", stdin_cls=Terminal)
    assert out.startswith(PROMPT + CONTINUATION + "one")
    assert out.endswith(PROMPT)
    piped, _ = session(filled, "SELECT 1 AS one;\n")
    assert PROMPT not in piped


def test_tables_lists_tables_and_views_with_kind(filled):
    out, _ = session(filled, ".tables\n")
    rows = {tuple(line.split()) for line in out.splitlines()[2:]}
    assert ("firms", "table") in rows and ("listed_firms", "view") in rows
    assert ("schema_migrations", "table") in rows
    assert not any(name.startswith(("duckdb_", "pg_")) for name, _ in rows)


def test_schema_of_one_table_and_of_everything(filled):
    out, _ = session(filled, ".schema firms\n")
    assert out.strip() == 'CREATE TABLE firms(id VARCHAR, "name" VARCHAR, listed DATE);'
    everything = schema_text(filled)
    assert "CREATE VIEW listed_firms" in everything and "CREATE TABLE firms" in everything


def test_schema_of_unknown_name_is_an_error_line(filled):
    out, _ = session(filled, ".schema nope\n")
    assert out == "Error: no table or view named nope; .tables lists them\n"


def test_mode_csv_then_json(filled):
    out, _ = session(filled, ".mode csv\nSELECT id, listed FROM firms ORDER BY id;\n.mode json\nSELECT id, listed FROM firms ORDER BY id;\n")
    csv_part, json_part = out.split("[", 1)
    assert list(csv.reader(io.StringIO(csv_part))) == [["id", "listed"], ["ant", ""], ["baba", "2014-09-19"]]
    assert json.loads("[" + json_part) == [{"id": "ant", "listed": None}, {"id": "baba", "listed": "2014-09-19"}]


def test_error_keeps_the_session_alive(filled):
    out, status = session(filled, "SELECT * FROM nope;\n.mode csv\nSELECT count(*) AS n FROM firms;\n")
    lines = out.splitlines()
    assert lines[0].startswith("Error: Catalog Error: Table with name nope does not exist!")
    assert lines[1:] == ["n", "2"]
    assert status == 1  # piped input with a failure: scripts must notice


def test_quit_stops_reading(filled):
    out, status = session(filled, ".mode csv\nSELECT 1 AS a;\n.quit\nSELECT 2 AS b;\n")
    assert out.splitlines() == ["a", "1"] and status == 0
    out, _ = session(filled, ".exit\nSELECT 2 AS b;\n")
    assert out == ""


def test_end_of_input_runs_an_unterminated_last_statement(filled):
    out, _ = session(filled, ".mode csv\nSELECT 7 AS x")
    assert out.splitlines() == ["x", "7"]


def test_several_statements_on_one_line_print_each_result_and_ddl_prints_nothing(filled):
    out, _ = session(filled, ".mode csv\nCREATE TABLE t (a INT); SELECT 1 AS a; SELECT 2 AS b;\n")
    assert out.splitlines() == ["a", "1", "b", "2"]


def test_unknown_dot_command_and_mode(filled):
    out, _ = session(filled, ".frobnicate\n.mode xml\n.mode\n.help\n")
    lines = out.splitlines()
    assert lines[0] == "Error: unknown command .frobnicate; .help lists the commands"
    assert lines[1].startswith("Error: unknown mode 'xml'")
    assert lines[2] == "table"
    assert any(line.startswith(".schema") for line in lines[3:])


def test_run_query_returns_columns_and_rows(filled):
    result = run_query(filled, "SELECT id, listed FROM firms ORDER BY id")
    assert result.columns == ["id", "listed"]
    assert [r[0] for r in result.rows] == ["ant", "baba"]
    assert list_tables(filled).columns == ["name", "kind"]


def test_run_query_error_is_one_line_with_the_hint(filled):
    with pytest.raises(TrackerError) as info:
        run_query(filled, "SELECT * FROM firm")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("Catalog Error: Table with name firm does not exist!")
    assert 'Did you mean "firms"' in message
    assert "LINE 1" not in message


def test_history_round_trips_through_the_file(tmp_path):
    readline = pytest.importorskip("readline")
    from tracker.shell import load_history, save_history

    path = tmp_path / "history"
    readline.clear_history()
    readline.add_history("SELECT 1;")
    readline.add_history("SELECT 'Börsengang';")
    save_history(path)
    readline.clear_history()
    load_history(path)
    entries = [readline.get_history_item(i) for i in range(1, readline.get_current_history_length() + 1)]
    assert entries == ["SELECT 1;", "SELECT 'Börsengang';"]
    readline.clear_history()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_session_keeps_history_and_exits_on_ctrl_d(tmp_path):
    """A real terminal: readline editing, one history entry per statement, Ctrl-D leaves."""
    pty = pytest.importorskip("pty")
    pytest.importorskip("readline")
    history = tmp_path / "history"
    history.write_text("SELECT 'from last time';\n")
    # The alarm ends the child even if this test dies before it can.
    code = ("import signal, sys; signal.alarm(30); from pathlib import Path; from tracker.db import connect;"
            "from tracker.shell import Shell;"
            f"sys.exit(Shell(connect(':memory:'), history_file=Path({str(history)!r})).run())")
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes the shell, its stdin a terminal
        os.execv(sys.executable, [sys.executable, "-c", code])
    seen, cursor = b"", 0
    deadline = time.monotonic() + 20

    def expect(text: bytes) -> None:
        """Wait until text appears after what earlier calls consumed."""
        nonlocal seen, cursor
        while (found := seen.find(text, cursor)) < 0:
            assert time.monotonic() < deadline, f"waited for {text!r}, got {seen!r}"
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    seen += os.read(fd, 4096)
                except OSError:  # the child exited
                    pytest.fail(f"shell ended early; output: {seen!r}")
        cursor = found + len(text)

    def wait_exit() -> int:
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        pytest.fail(f"shell did not exit on Ctrl-D; output: {seen!r}")

    try:
        # Type only at a prompt: readline may drop input typed before it takes the terminal.
        expect(PROMPT.encode())
        os.write(fd, b"SELECT 41 + 1\r")
        expect(CONTINUATION.encode())
        os.write(fd, b"\r")  # a blank line inside a statement
        expect(CONTINUATION.encode())
        os.write(fd, b"AS answer;\r")
        expect(b"42")
        expect(PROMPT.encode())
        os.write(fd, b"SELECT * FROM nope;\r")
        expect(b"Error: Catalog Error")
        expect(PROMPT.encode())
        os.write(fd, b"\x04")
        assert wait_exit() == 0
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(fd)
    assert history.read_text().splitlines() == [
        "SELECT 'from last time';", "SELECT 41 + 1 AS answer;", "SELECT * FROM nope;"]
