"""Change observers: the app hears edits, and a cancelled or dropped subscription goes quiet."""

import gc
import time

import tandem_ffi as tandem
from conftest import ChangeRecorder


def value(text: str) -> tandem.ValueInput:
    return tandem.ValueInput(text=text, life_area=tandem.LifeArea.HOME, importance=5)


def quiet_for(recorder: ChangeRecorder, heard: int, seconds: float = 0.5) -> bool:
    """True when the recorder heard nothing beyond `heard` calls for `seconds`."""
    return not recorder.wait_for(lambda calls: len(calls) > heard, timeout=seconds)


def test_an_edit_is_heard_as_local_and_cancel_stops_it(store):
    recorder = ChangeRecorder()
    subscription = store.subscribe_changes(recorder)
    store.add_value(value("A tidy kitchen"))
    assert recorder.wait_for(lambda calls: calls == [True])

    subscription.cancel()
    store.add_value(value("Plants on the sill"))
    assert quiet_for(recorder, heard=1)
    subscription.cancel()  # twice is harmless


def test_a_dropped_subscription_stops(store):
    recorder = ChangeRecorder()
    subscription = store.subscribe_changes(recorder)
    store.add_value(value("Fresh air"))
    assert recorder.wait_for(lambda calls: len(calls) == 1)
    del subscription
    gc.collect()
    store.add_value(value("Music"))
    assert quiet_for(recorder, heard=1)


def test_an_edit_that_was_refused_changes_nothing_and_is_not_heard(store):
    recorder = ChangeRecorder()
    subscription = store.subscribe_changes(recorder)
    try:
        store.add_value(tandem.ValueInput(text="Too much", life_area=tandem.LifeArea.HOME, importance=11))
    except tandem.TandemError.InvalidInput:
        pass
    assert quiet_for(recorder, heard=0)
    subscription.cancel()


class Clumsy(tandem.ChangeObserver):
    """An observer that fails on its first call."""

    def __init__(self):
        self.calls = 0

    def on_change(self, local: bool) -> None:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("the app's bug")


def test_an_observer_that_throws_keeps_its_subscription(store):
    clumsy = Clumsy()
    subscription = store.subscribe_changes(clumsy)
    store.add_value(value("One"))
    deadline = time.monotonic() + 5
    while clumsy.calls < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    store.add_value(value("Two"))
    while clumsy.calls < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert clumsy.calls == 2
    subscription.cancel()


def test_many_subscribers_each_hear_every_edit(store):
    recorders = [ChangeRecorder() for _ in range(3)]
    subscriptions = [store.subscribe_changes(r) for r in recorders]
    for i in range(5):
        store.add_value(value(f"Value {i}"))
    for recorder in recorders:
        # Edits close together may be heard together; the last one is always heard.
        assert recorder.wait_for(lambda calls: len(calls) >= 1 and all(calls))
    for s in subscriptions:
        s.cancel()
