"""A person's data is theirs: encrypted on the device with a key or passphrase, and exported
whole (report, JSON, CSV) — through the bindings, as a Python app would call them."""

import asyncio
import csv
import json

import pytest

import tandem_ffi as tandem
from conftest import TIME_ZONE


def files_hold(folder, word: str) -> bool:
    return any(word.encode() in path.read_bytes() for path in folder.iterdir() if path.is_file())


def test_a_store_with_a_passphrase_keeps_no_readable_word_and_refuses_a_wrong_one(tmp_path):
    path = str(tmp_path / "sam.db")
    key = tandem.StoreKey.PASSPHRASE(words="a quiet morning walk")
    store = tandem.TandemStore(path, TIME_ZONE, None, key)
    assert store.is_encrypted()
    store.add_value(tandem.ValueInput(text="Otter-spotting-by-the-river", life_area=tandem.LifeArea.LEISURE, importance=7))
    del store
    assert not files_hold(tmp_path, "Otter-spotting-by-the-river")
    with pytest.raises(tandem.TandemError.WrongKey):
        tandem.TandemStore(path, TIME_ZONE, None, tandem.StoreKey.PASSPHRASE(words="a loud evening run"))
    with pytest.raises(tandem.TandemError.KeyNeeded):
        tandem.TandemStore(path, TIME_ZONE, None, None)
    again = tandem.TandemStore(path, TIME_ZONE, None, key)
    assert [v.text for v in again.journey().values] == ["Otter-spotting-by-the-river"]


def test_an_export_holds_everything_with_progress(store, tmp_path):
    store.add_value(tandem.ValueInput(text="Time with my brother", life_area=tandem.LifeArea.RELATIONSHIPS, importance=9))
    heard = []

    class Progress(tandem.ExportProgressObserver):
        def on_progress(self, done, total):
            heard.append((done, total))

    folder = tmp_path / "export"
    written = asyncio.run(store.export_mine(str(folder), Progress()))
    assert "report.html" in written.files and "values.csv" in written.files
    assert heard and heard[-1][0] == heard[-1][1], "progress ends at its total"
    data = json.loads((folder / "tandem-export.json").read_text())
    assert data["format"] == "tandem-export"
    assert [v["text"] for v in data["journey"]["values"]] == ["Time with my brother"]
    with open(folder / "values.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["text"] == "Time with my brother" and rows[0]["importance"] == "9"
    assert "Time with my brother" in (folder / "report.html").read_text()
