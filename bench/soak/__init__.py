"""The soak test (`make soak`, `python -m bench.soak`): see __main__.py and docs/performance.md."""
