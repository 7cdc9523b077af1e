"""Reads a run directory with TensorBoard's own event reader and prints its
scalars as JSON lines (tag, step, value), for tensorboard_test.go.

Usage: python read_events.py RUN_DIR
"""
import json
import sys

from tensorboard.backend.event_processing import event_accumulator

acc = event_accumulator.EventAccumulator(sys.argv[1], size_guidance={event_accumulator.SCALARS: 0})
acc.Reload()
for tag in sorted(acc.Tags()["scalars"]):
    for ev in acc.Scalars(tag):
        print(json.dumps({"tag": tag, "step": ev.step, "wall": ev.wall_time, "value": ev.value}))
