# Briefing — the two set-up commands are `make report` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/briefing
RELEASE_FLAGS := -c release --static-swift-stdlib

.PHONY: report test lint deps build release panel docs-image clean fuzz sanitize check-embed check-recipes

## Install missing system packages (cairo, pango, fonts, poppler, qpdf, xmllint).
deps:
	@bash scripts/install-system-deps.sh

## Build the release binary and render every layout in layouts/ into reports/; then
## reports/charts.html, which inlines every exported SVG twice and the SVGs of a second build of the
## same layouts over the data scaled by 1.1 (built into .build/embed-second by scripts/second-build.sh).
report: deps release
	$(RELEASE_BIN) build --out reports
	bash scripts/second-build.sh .build/embed-second
	bash scripts/charts-html.sh reports .build/embed-second/out reports/charts.html

## Draw each chart of reports/charts.html in headless Chromium (installed if missing), among all the
## others, and compare it with the chart's PNG export (charts exported as SVG only: with the PNG of
## a build that exports every chart as PNG too); BRIEFING_SKIP_CHROMIUM=1 skips it.
check-embed: report
	bash scripts/second-build.sh .build/embed-png 1 svg,png
	bash scripts/check-embed.sh reports/charts.html reports .build/embed-png/out

## Verify the scheduling recipes of docs/scheduling.md: systemd-analyze verify and security of
## contrib/systemd, the cron wrapper against stub briefing and logger, the CI workflow's shard and
## merge steps run here (with .build/release/briefing once it has --shard; else reported as SKIP).
check-recipes:
	bash scripts/check-recipes.sh

## The Swift runtime and Foundation linked statically: the binary starts in half the time (a
## one-chart `briefing chart` is a quarter faster) and runs on machines without a Swift toolchain.
## Every release build of this repository uses these flags (benchmarks/lib.sh, scripts/): a build
## with other flags into .build/release recompiles every module.
release:
	$(SWIFT) build $(RELEASE_FLAGS) --product briefing

build: deps
	$(SWIFT) build

## Run the whole test suite (unit, rendering, end-to-end, seed provenance), after the trap lint.
test: deps lint
	$(SWIFT) test

## Refuse force unwraps, force casts, force tries and implicitly unwrapped optionals in Sources/.
lint:
	@bash scripts/lint-traps.sh

## Run each libFuzzer harness for FUZZ_SECONDS (default 60) from its seeds in Tests/Fuzz/.
FUZZ_SECONDS ?= 60
fuzz: deps
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

## Run the test suite under AddressSanitizer, then its threaded suites under ThreadSanitizer.
sanitize: deps
	bash scripts/sanitize.sh

## Regenerate the committed illustrative panel (deterministic).
panel: deps release
	$(RELEASE_BIN) seed panel --out seeds/panel.csv

## Regenerate the README's picture of a real page.
docs-image: report
	rm -rf .build/docs-image && mkdir -p .build/docs-image
	pdftoppm -png -r 60 -f 1 -l 1 reports/regional-overview.pdf .build/docs-image/page
	cp .build/docs-image/page-1.png docs/briefing-page-1.png
	pdftoppm -png -r 60 -f 4 -l 4 reports/regional-overview.pdf .build/docs-image/table
	cp .build/docs-image/table-4.png docs/table-page.png

clean:
	rm -rf .build reports/*.pdf reports/*.svg reports/*.png reports/charts.html
