# Known-vulnerability audit of the installed Python dependencies with pip-audit (docs/security.md).
#
# `make pip-audit` fails when any installed package has a known vulnerability. pip-audit asks PyPI's
# vulnerability data (PIP_AUDIT_SERVICE=pypi) or OSV (=osv). Where that service cannot be reached,
# packages are reported as "could not be audited": the summary says how many, and the target fails
# on that too only with PIP_AUDIT_STRICT=1 (use it wherever the service is reachable).
PIP_AUDIT_SERVICE ?= pypi
PIP_AUDIT_STRICT ?= 0
PIP_AUDIT_REPORT := var/pip-audit.json

.PHONY: pip-audit
pip-audit: $(VENV)/.dev | var
	$(BIN)/pip-audit --progress-spinner off --skip-editable -s $(PIP_AUDIT_SERVICE) -f json -o $(PIP_AUDIT_REPORT) \
		$(if $(filter 1,$(PIP_AUDIT_STRICT)),--strict)
	@$(BIN)/python -c "import json, sys; d = json.load(open('$(PIP_AUDIT_REPORT)')); deps = d.get('dependencies', []); \
	vulns = [(p['name'], v['id']) for p in deps for v in p.get('vulns', [])]; \
	skipped = [p['name'] for p in deps if 'skip_reason' in p]; \
	print(f'pip-audit: {len(deps) - len(skipped)} packages audited, {len(skipped)} could not be audited, {len(vulns)} known vulnerabilities'); \
	[print(f'  {n}: {i}') for n, i in vulns]; sys.exit(1 if vulns else 0)"
