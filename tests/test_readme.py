"""The README stays true: its commands exist and its table/view reference matches sql/."""

from pathlib import Path

from tracker import sqldoc
from tracker.cli import app

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_sql_reference_matches_the_sql_files():
    assert sqldoc.replace_block(README) == README, "run: python -m tracker.sqldoc --write README.md"


def test_every_table_and_view_is_listed_with_its_grain():
    for obj in sqldoc.objects():
        assert f"| `{obj['name']}` |" in README
        assert obj["grain"], f"{obj['file']} has no Grain: line"


def test_the_two_set_up_commands_come_first():
    start = README.index("## Start here")
    block = README[start:README.index("```", README.index("```", start) + 3)]
    assert "make report" in block and "make test" in block
    makefile = (REPO / "Makefile").read_text()
    assert "\nreport:" in makefile and "\ntest:" in makefile
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_every_cli_command_is_documented():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"tracker {name}" in README, f"`tracker {name}` is not in the README"
        if hasattr(command, "commands"):
            for sub in command.commands:
                assert f"tracker {name} {sub}" in README


def test_report_picture_exists():
    assert "docs/report.png" in README and (REPO / "docs" / "report.png").is_file()
