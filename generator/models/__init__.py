"""Attribution models: pure functions from journeys (numpy arrays) to per-touch weights."""
