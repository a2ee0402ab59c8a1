# Benchmarks (not part of `make test`): see docs/performance.md.
.PHONY: bench bench-quick
bench: $(VENV)/.dev messages | var
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-quick: $(VENV)/.dev messages | var
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)
