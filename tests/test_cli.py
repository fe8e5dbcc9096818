"""The command line as a user meets it: tables, JSON, ambiguity, bad input, exports, imports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from conftest import Cli
from linernotes.cli.main import cli
from linernotes.normalize.roles import ROLES


def test_ambiguous_name_lists_candidates_and_never_picks(run: Cli) -> None:
    result = run("producers", "Metro", ok=False)
    assert result.exit_code == 3
    assert "say which with --id" in result.output
    assert "Metro Boomin" in result.output and "21 Savage & Metro Boomin" in result.output


def test_choosing_a_candidate_by_id(run: Cli) -> None:
    listing = run("producers", "Metro", ok=False).output
    line = next(x for x in listing.splitlines() if " Metro Boomin - " in x)
    entity_id = line.split("--id")[1].split()[0]
    out = run("producers", "--id", entity_id).stdout
    assert out.startswith("Metro Boomin:")


def test_nothing_found_suggests_the_closest_names(run: Cli) -> None:
    result = run("producers", "Metro Boomim", ok=False)
    assert result.exit_code == 1
    assert "No artist or person 'Metro Boomim'" in result.output
    assert "Metro Boomin" in result.output


def test_unlinked_combined_pages_are_shown_apart_not_counted(run_core: Cli) -> None:
    # The core catalog has had no identity resolution: nothing links the pages to him.
    answer = run_core.json("producers", "Metro Boomin")
    pages = {p["name"]: p for p in answer["combined_pages"]}
    assert pages["21 Savage & Metro Boomin"]["songs"] == 4
    assert not pages["21 Savage & Metro Boomin"]["linked"]
    assert answer["songs"] == 1  # only his own page's songs count
    assert "Not counted: combined pages" in run_core("producers", "Metro Boomin").stdout


def test_combined_pages_linked_to_their_members_count(run: Cli) -> None:
    answer = run.json("producers", "Metro Boomin")
    pages = {p["name"]: p for p in answer["combined_pages"]}
    linked = ["21 Savage & Metro Boomin", "21 Savage, Offset & Metro Boomin", "NAV & Metro Boomin"]
    assert all(pages[name]["linked"] for name in linked)
    assert answer["songs"] >= 1 + sum(pages[name]["songs"] for name in linked[:2])
    assert (
        "Counted from combined pages linked to Metro Boomin"
        in run("producers", "Metro Boomin").stdout
    )


def test_credits_by_artist_narrows_same_titles(run: Cli) -> None:
    out = run("credits", "Fake Love", "--by", "Drake").stdout
    assert out.startswith("Fake Love by Drake")
    assert run("credits", "Fake Love", "--by", "Bruno Mars", ok=False).exit_code == 1


def test_album_view_separates_release_level_from_tracks(run: Cli) -> None:
    out = run("credits", "--album", "24K Magic").stdout
    release_part, tracks_part = out.split("Per-track credits")
    assert "Release-level credits" in release_part
    assert "24K Magic" in tracks_part and "That’s What I Like" in tracks_part
    assert "Shampoo Press & Curl" in tracks_part


def test_person_shows_roles_by_year_collaborators_and_handles(run_core: Cli) -> None:
    run = run_core
    answer = run.json("person", "Boi-1da")
    assert {c["role"] for c in answer["by_role_year"]} >= {"producer"}
    assert all(c["year"] for c in answer["by_role_year"])
    assert answer["collaborators"][0]["shared_songs"] >= 1
    assert answer["handles"][0]["handle"] == "boi1da"
    assert "Most frequent collaborators" in run("person", "Boi-1da").stdout


def test_pseudo_songs_stay_out_of_counts(run: Cli) -> None:
    answer = run.json("credits", "2017 Playlist")
    assert "playlist" in answer["pseudo_reason"]
    producer = next(c["name"] for c in answer["credits"] if c["role"] == "producer")
    assert "and many more" in producer
    person = run.json("person", "--id", str(answer["credits"][0]["artist_id"]))
    assert all(c["role"] != "producer" for c in person["by_role_year"])


def test_export_producers_csv_and_json(run_core: Cli) -> None:
    run = run_core
    text = run("export", "producers", "Drake", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 30
    assert rows[0]["person"] == "40" and rows[0]["song_count"] == "4"
    boi = next(r for r in rows if r["person"] == "Boi-1da")
    assert (boi["instagram"], boi["instagram_verified"]) == ("boi1da", "no")
    assert "handles file: weak" in boi["evidence"]
    data = json.loads(run("export", "producers", "Drake", "--format", "json").stdout)
    assert data["producers"] == rows


def test_roles_and_guides(run: Cli) -> None:
    out = run("roles", "explain", "executive", "producer").stdout
    assert "Executive Producer" in out and "release" in out
    assert run("roles", "explain", "nonsense role", ok=False).exit_code == 1
    listed = run.json("roles")
    assert {r["code"] for r in listed} == set(ROLES)


def test_every_role_in_the_demo_has_a_guide_of_two_to_five_sentences(run: Cli) -> None:
    used = {r["code"] for r in run.json("roles") if r["credits"]}
    assert {"producer", "mixing_engineer", "songwriter", "instrumentalist"} <= used
    for code in used:
        guide = ROLES[code].guide
        sentences = [s for s in guide.replace("!", ".").replace("?", ".").split(". ") if s.strip()]
        assert 2 <= len(sentences) <= 5, (code, guide)


def test_import_reports_bad_input_and_keeps_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "artists.jsonl").write_text('{"id": 1, "name": "Vinylz"}\n{oops\n', encoding="utf-8")
    (folder / "songs.jsonl").write_text(
        '{"id": 5, "title": "Song", "album": null, "label": null, "release_date_for_display":'
        ' null, "youtube_url": null, "primary_artist_ids": [1], "producer_artist_ids": [1, 77],'
        ' "writer_artist_ids": []}\n',
        encoding="utf-8",
    )
    handles = tmp_path / "handles.jsonl"
    handles.write_text(
        '{"name": "Vinylz", "platform": "instagram", "handle": "vinylz", "evidence_kind": "weak"}\n'
        '{"name": "Vinylz", "platform": "instagram", "handle": "bad..one",'
        ' "evidence_kind": "weak"}\n'
        '{"name": "Vinylz", "platform": "instagram", "handle": "x", "evidence_kind": "rumour"}\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    db = ["--db", str(tmp_path / "c.sqlite3")]
    env = {"LINERNOTES_DEMO": "0"}
    out = runner.invoke(cli, [*db, "ingest", "genius-snapshot", str(folder)], env=env).output
    assert "artists.jsonl:2" in out and "bad_json" in out
    assert "artist genius:77 is not in the catalog" in out
    out = runner.invoke(cli, [*db, "ingest", "handles", str(handles)], env=env).output
    assert "handles.jsonl:2" in out and "invalid_handle" in out
    assert "handles.jsonl:3" in out and "unknown evidence_kind 'rumour'" in out
    shown = runner.invoke(cli, [*db, "handle", "vinylz"], env=env).output
    assert "vinylz" in shown and "unverified" in shown
    listed = runner.invoke(cli, [*db, "problems", "--json"], env=env).output
    assert len(json.loads(listed)) == 4


def test_search_with_nothing_typed_is_a_clear_error(run: Cli) -> None:
    result = run("search", "   ", ok=False)
    assert result.exit_code == 2 and "type something" in result.output


def test_first_use_builds_the_demo(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "new.sqlite3"), "handle", "Drake"])
    assert result.exit_code == 0, result.output
    assert "champagnepapi" in result.stdout
