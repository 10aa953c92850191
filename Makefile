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

DEB_PKGS := build-essential pkg-config libglpk-dev libcsv-dev libcjson-dev libcmocka-dev \
            glpk-utils valgrind libical-dev

.PHONY: all test unit e2e sanitize valgrind demo bench deps install uninstall clean format lint
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

# Every unit test and a run of each job under valgrind: any error or leak fails.
VALGRIND := valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=1
valgrind: cpdplan $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== valgrind $$t"; $(VALGRIND) $$t >/dev/null; done
	@rm -rf $(BUILD)/vg-out && $(VALGRIND) ./cpdplan deploy scenarios/trust -q -o $(BUILD)/vg-out && echo "== valgrind deploy: clean"
	@rm -rf $(BUILD)/vg-inset && $(VALGRIND) ./cpdplan inset scenarios/inset -q -o $(BUILD)/vg-inset && echo "== valgrind inset: clean"
	@rm -rf $(BUILD)/vg-onboard && $(VALGRIND) ./cpdplan onboard scenarios/onboard -q -t 10 -o $(BUILD)/vg-onboard && echo "== valgrind onboard: clean"

# Installs the Debian packages that are missing (build, tests, demo).
deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; \
	fi

# Builds and runs every job on the bundled scenario.
demo: deps
	$(MAKE) cpdplan
	./cpdplan deploy scenarios/trust --out $(BUILD)/demo/deploy
	./cpdplan inset scenarios/inset --out $(BUILD)/demo/inset
	./cpdplan onboard scenarios/onboard --out $(BUILD)/demo/onboard

bench: cpdplan
	@sh tests/bench/bench.sh ./cpdplan

install: cpdplan
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 cpdplan $(DESTDIR)$(PREFIX)/bin/cpdplan

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cpdplan

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) */*.h

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 -Iio -Imodel -Isolver io model solver cli

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
