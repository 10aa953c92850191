# cpdplan — build, test, demo, bench, install.
# Layers: cli/ -> io/ -> model/ -> solver/; only solver/ sees glpk.h.

VERSION  := 0.1.0
PREFIX   ?= /usr/local
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L
PKGS     := libcjson cmocka
# GLPK and libcsv ship no .pc file on Debian: plain -l for those two.
DEP_CFLAGS := $(shell pkg-config --cflags libcjson 2>/dev/null)
DEP_LIBS   := $(shell pkg-config --libs libcjson 2>/dev/null) -lcsv -lglpk -lm
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)
# libical: only the end-to-end tests' calendar checker links it, never the product.
ICAL_CFLAGS := $(shell pkg-config --cflags libical 2>/dev/null)
ICAL_LIBS   := $(shell pkg-config --libs libical 2>/dev/null)
INC      := -Iio -Imodel -Isolver -DCPD_VERSION='"$(VERSION)"'

BUILD    ?= build
LIB_SRC  := $(sort $(wildcard solver/*.c model/*.c io/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# what building and running cpdplan needs (make demo installs only these)
RUN_PKGS := build-essential pkg-config libglpk-dev libcsv-dev libcjson-dev
DEB_PKGS := $(RUN_PKGS) libcmocka-dev glpk-utils valgrind libical-dev
# the end-to-end tests check each report.html: well-formed (xmllint), drawn by a browser
DEB_PKGS += libxml2-utils chromium fonts-dejavu-core
# groff: the end-to-end tests check the man page with `groff -man -ww -z`.
DEB_PKGS += groff-base
# `make fuzz` only (libFuzzer comes with clang's runtime libraries)
FUZZ_DEB_PKGS := clang libclang-rt-14-dev

.PHONY: all test unit e2e sanitize valgrind demo bench bench-gap deps install uninstall clean format lint
.PHONY: man-check
all: cpdplan

cpdplan: $(BUILD)/cpdplan
	cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/cpdplan: $(CLI_OBJ) $(BUILD)/libcpd.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcpd.a $(DEP_LIBS)

$(BUILD)/libcpd.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(INC) -Icli $(DEP_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcpd.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(INC) $(DEP_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP -o $@ $< $(BUILD)/libcpd.a $(CMOCKA_LIBS) $(DEP_LIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d)

# Unit tests, then the end-to-end tests on the built binary.
unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# The calendar checker of the end-to-end tests (a real iCalendar parser: libical).
ICS_CHECK := $(BUILD)/tools/ics_check
$(ICS_CHECK): tests/tools/ics_check.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(ICAL_CFLAGS) -o $@ $< $(ICAL_LIBS)

e2e: cpdplan $(ICS_CHECK)
	@ICS_CHECK=$(ICS_CHECK) sh tests/e2e/run.sh ./cpdplan

# `make test`: the whole suite, plain, again under ASan+UBSan, and under valgrind.
test: deps
	$(MAKE) unit e2e
	$(MAKE) sanitize
	$(MAKE) valgrind

sanitize: $(ICS_CHECK)
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/cpdplan $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%)
	@set -e; for t in $(UNIT_SRC:tests/unit/%.c=build-asan/tests/%); do echo "== asan $$t"; $$t; done
	@CPD_SANITIZED=1 ICS_CHECK=$(ICS_CHECK) sh tests/e2e/run.sh ./build-asan/cpdplan

# Every unit test, then the end-to-end tests with every run of the binary (each job among them)
# under valgrind (tests/e2e/valgrind.sh, a smaller suite: see run.sh): any error or leak fails.
VALGRIND := valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=1
valgrind: cpdplan $(UNIT_BIN) $(ICS_CHECK)
	@set -e; for t in $(UNIT_BIN); do echo "== valgrind $$t"; $(VALGRIND) $$t >/dev/null; done
	@CPD_VALGRIND=1 ICS_CHECK=$(ICS_CHECK) sh tests/e2e/run.sh ./cpdplan

# Installs the Debian packages that are missing (build, tests, demo).
deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; \
	fi

# Builds and runs every job on the bundled scenario.
demo:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(RUN_PKGS)"
	$(MAKE) cpdplan
	./cpdplan deploy scenarios/trust --out $(BUILD)/demo/deploy
	./cpdplan inset scenarios/inset --out $(BUILD)/demo/inset
	./cpdplan onboard scenarios/onboard --out $(BUILD)/demo/onboard

bench: cpdplan
	@sh tests/bench/bench.sh ./cpdplan

# OR-Library generalized assignment through the deploy engine's core (BENCH_GAP_LIMIT seconds
# per instance, default 60; BENCH_GAP_SETS: which files, default all sixteen).
GAP_BENCH := $(BUILD)/tools/gap_bench
$(GAP_BENCH): tests/tools/gap_bench.c $(BUILD)/libcpd.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(INC) -o $@ $< $(BUILD)/libcpd.a $(DEP_LIBS)

bench-gap: $(GAP_BENCH)
	@sh tests/bench/gap.sh $(GAP_BENCH)

# Installs the binary, the man page and the bash completion under $(DESTDIR)$(PREFIX);
# INSTALL_BIN picks another build (the e2e tests install the binary they test).
INSTALL_BIN ?= cpdplan
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
install: $(INSTALL_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/cpdplan
	install -m 644 docs/cpdplan.1 $(DESTDIR)$(MANDIR)/man1/cpdplan.1
	install -m 644 docs/cpdplan.bash-completion $(DESTDIR)$(BASHCOMPDIR)/cpdplan

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cpdplan $(DESTDIR)$(MANDIR)/man1/cpdplan.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/cpdplan

# The man page without a warning (groff, as man-db renders it).
man-check:
	groff -man -ww -z docs/cpdplan.1

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) */*.h

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 -Iio -Imodel -Isolver io model solver cli

# ---- fuzzing (clang's libFuzzer, ASan and UBSan): `make fuzz` builds every target in
# tests/fuzz/, replays the saved crashing inputs (tests/fuzz/regress/TARGET/), then runs each
# target FUZZ_SECONDS on a seed corpus made from the bundled scenarios and golden cases.
FUZZ_CC      ?= clang
FUZZ_BUILD   := build-fuzz
FUZZ_TARGETS := csv json deploy inset onboard
FUZZ_SECONDS ?= 12
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-clean
fuzz-build:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_DEB_PKGS)"
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	  $(FUZZ_BUILD)/libcpd.a
	$(MAKE) $(FUZZ_BIN)

$(FUZZ_BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_BUILD)/libcpd.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(INC) $(DEP_CFLAGS) -o $@ $< \
	  $(FUZZ_BUILD)/libcpd.a $(DEP_LIBS)

fuzz: fuzz-build
	@rm -rf $(FUZZ_BUILD)/seeds $(FUZZ_BUILD)/crash-* && sh tests/fuzz/seeds.sh $(FUZZ_BUILD)/seeds
	@set -e; for t in $(FUZZ_TARGETS); do \
	  r=tests/fuzz/regress/$$t; c=$(FUZZ_BUILD)/corpus/$$t; mkdir -p $$c; \
	  if [ -n "$$(ls $$r 2>/dev/null)" ]; then echo "== replay $$t"; $(FUZZ_BUILD)/fuzz/fuzz_$$t $$r/* >/dev/null 2>&1 \
	    || { $(FUZZ_BUILD)/fuzz/fuzz_$$t $$r/*; exit 1; }; fi; \
	  echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
	  $(FUZZ_BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- -print_final_stats=1 \
	    $$c $(FUZZ_BUILD)/seeds/$$t 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Test unit' || true; \
	  if ls $(FUZZ_BUILD)/crash-$$t-* >/dev/null 2>&1; then echo "fuzz $$t: crash saved in $(FUZZ_BUILD)/"; exit 1; fi; \
	done

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

clean:
	rm -rf build build-asan cpdplan

# PSPLIB single-mode RCPSP as onboard scenarios (tests/tools/psplib2csv.c, io/cpd_psplib.h):
# the converter, and `make bench-psplib`: all 480 j30 instances, 10 s each, against the known
# optima (BENCH_PSPLIB_LIMIT=N runs the first N; see tests/bench/psplib.sh).
PSPLIB2CSV := $(BUILD)/tools/psplib2csv
$(PSPLIB2CSV): tests/tools/psplib2csv.c $(BUILD)/libcpd.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(INC) $(DEP_CFLAGS) -o $@ $< $(BUILD)/libcpd.a $(DEP_LIBS)

.PHONY: bench-psplib
bench-psplib: cpdplan $(PSPLIB2CSV)
	@PSPLIB2CSV=$(PSPLIB2CSV) sh tests/bench/psplib.sh ./cpdplan
