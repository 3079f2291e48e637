# edgemap — one Makefile, pkg-config for every library.
#
#   make            build ./edgemap
#   make demo       install missing Debian packages, build, run the bundled samples
#   make check      install missing packages, run the whole suite, then again under
#                   ASan+UBSan (SANITIZE=1); the last line is "N passed, N failed"
#   make fuzz       build the libFuzzer targets (clang)
#   make bench      benchmarks (bench/), results into docs/PERFORMANCE.md by hand
#   make install    binary, data, man pages (en, ja) and bash completion; GNU variables
#                   PREFIX (/usr/local), BINDIR, DATADIR ($(PREFIX)/share/edgemap), MANDIR,
#                   COMPLETIONSDIR (from pkg-config bash-completion), DESTDIR for staging
#   make uninstall  removes exactly what install put there
#
# BUILD=DIR (default build) is where every target builds; SANITIZE=1 uses DIR-san, so
# `make check BUILD=x` builds and tests in x and x-san only.
#
# Module boundaries are enforced by what each part links: mapper/ (the model, readers,
# rules) links libxml2, libzip, GLib and json-c only; render/ adds Graphviz and cairo;
# snmp/ adds net-snmp; book/ (workbooks we write) adds libxlsxwriter. Unit tests of mapper link mapper alone.

CC      ?= cc
BUILD   ?= build
WERROR  ?= -Werror
OPT     ?= -O2
CSTD     = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 $(WERROR)

ifeq ($(SANITIZE),1)
override BUILD := $(patsubst %-san,%,$(BUILD))-san
OPT      = -O1
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

PKG_MAPPER = libxml-2.0 libzip glib-2.0 json-c
PKG_RENDER = libcgraph libgvc cairo fontconfig
PKG_FLEET  = sqlite3 libpq
PKG_BOOK   = xlsxwriter

# pkg-config is asked only when the packages are there, so "make deps" can run first.
MAPPER_CFLAGS := $(shell pkg-config --cflags $(PKG_MAPPER) 2>/dev/null)
MAPPER_LIBS   := $(shell pkg-config --libs $(PKG_MAPPER) 2>/dev/null)
RENDER_CFLAGS := $(shell pkg-config --cflags $(PKG_RENDER) 2>/dev/null)
RENDER_LIBS   := $(shell pkg-config --libs $(PKG_RENDER) 2>/dev/null)
FLEET_CFLAGS  := $(shell pkg-config --cflags $(PKG_FLEET) 2>/dev/null)
FLEET_LIBS    := $(shell pkg-config --libs $(PKG_FLEET) 2>/dev/null)
BOOK_CFLAGS   := $(shell pkg-config --cflags $(PKG_BOOK) 2>/dev/null)
BOOK_LIBS     := $(shell pkg-config --libs $(PKG_BOOK) 2>/dev/null)
SNMP_CFLAGS   := $(shell net-snmp-config --base-cflags 2>/dev/null)
SNMP_LIBS     := $(shell net-snmp-config --netsnmp-libs 2>/dev/null) -lresolv

CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -g $(SANFLAGS) -I. $(CPPFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

MAPPER_SRC = $(wildcard mapper/*.c)
RENDER_SRC = $(wildcard render/*.c)
SNMP_SRC   = $(wildcard snmp/*.c)
FLEET_SRC  = $(wildcard fleet/*.c)
BOOK_SRC   = $(wildcard book/*.c)
CMD_SRC    = $(wildcard cmd/*.c)

MAPPER_OBJ = $(MAPPER_SRC:%.c=$(BUILD)/%.o)
RENDER_OBJ = $(RENDER_SRC:%.c=$(BUILD)/%.o)
SNMP_OBJ   = $(SNMP_SRC:%.c=$(BUILD)/%.o)
FLEET_OBJ  = $(FLEET_SRC:%.c=$(BUILD)/%.o)
BOOK_OBJ   = $(BOOK_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ    = $(CMD_SRC:%.c=$(BUILD)/%.o)

LIBMAPPER = $(BUILD)/libmapper.a
LIBRENDER = $(BUILD)/librender.a
LIBSNMP   = $(BUILD)/libsnmp.a
LIBFLEET  = $(BUILD)/libfleet.a
LIBBOOK   = $(BUILD)/librbook.a

# Unit tests: tests/unit/<module>_<name>.c, one program each, linked with that module.
UT_MAPPER = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/mapper_*.c))
UT_RENDER = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/render_*.c))
UT_SNMP   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/snmp_*.c))
UT_FLEET  = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/fleet_*.c))
UT_BOOK   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/book_*.c))
# Helper programs the tests use (generators, harnesses): tests/tools/*.c, linked with all.
TEST_TOOLS = $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(wildcard tests/tools/*.c))

# Installation (GNU conventions). DATADIR is compiled in: cmd/buildinfo.c is rebuilt
# when it, the version or the source tree changes ($(BUILD)/buildinfo.flags).
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/edgemap
DATAROOTDIR ?= $(PREFIX)/share
MANDIR  ?= $(DATAROOTDIR)/man
# bash-completion's own directory (pkg-config), moved under our DATAROOTDIR
COMPLETIONSDIR ?= $(shell pkg-config --define-variable=datadir='$(DATAROOTDIR)' --variable=completionsdir bash-completion 2>/dev/null || echo '$(DATAROOTDIR)/bash-completion/completions')
# EM_TREE: the source tree whose data/ a binary run from $(EM_TREE)/<build dir>/ uses;
# empty for packages (debian/rules), so an installed binary only knows DATADIR.
EM_TREE ?= $(CURDIR)
EM_VERSION := $(shell v=$$(git -C '$(CURDIR)' describe --tags --dirty 2>/dev/null) && echo "$$v" || \
                { r=$$(cat '$(CURDIR)/VERSION' 2>/dev/null || echo unknown); \
                  h=$$(git -C '$(CURDIR)' rev-parse --short HEAD 2>/dev/null) && \
                  d=$$(git -C '$(CURDIR)' diff --quiet HEAD -- 2>/dev/null || echo .dirty) && echo "$$r+g$$h$$d" || echo "$$r"; })
BUILDINFO_FLAGS = -DEM_VERSION='"$(EM_VERSION)"' -DEM_DATADIR='"$(DATADIR)"' -DEM_TREE='"$(EM_TREE)"'

# The binary is $(BUILD)/edgemap; the default build also links it as ./edgemap.
# Several people (or helpers) can build side by side with BUILD=build-<name>.
EDGEMAP = $(BUILD)/edgemap

.PHONY: all deps demo check test tests fuzz bench clean install uninstall man FORCE
all: $(EDGEMAP) man $(BUILD)/edgemap.bash
ifeq ($(BUILD),build)
	@ln -sf build/edgemap edgemap
endif

ALL_LIBS = $(RENDER_LIBS) $(SNMP_LIBS) $(BOOK_LIBS) $(FLEET_LIBS) $(MAPPER_LIBS) -lm

$(EDGEMAP): $(CMD_OBJ) $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBFLEET) $(LIBMAPPER)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CMD_OBJ) $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBFLEET) $(LIBMAPPER) $(ALL_LIBS)

$(LIBMAPPER): $(MAPPER_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBRENDER): $(RENDER_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBSNMP): $(SNMP_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBFLEET): $(FLEET_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBBOOK): $(BOOK_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/mapper/%.o: mapper/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/render/%.o: render/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(RENDER_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/snmp/%.o: snmp/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(SNMP_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/fleet/%.o: fleet/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(FLEET_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/book/%.o: book/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(BOOK_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/cmd/%.o: cmd/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(CMD_EXTRA) -MMD -MP -c -o $@ $<
$(BUILD)/cmd/buildinfo.o: CMD_EXTRA = $(BUILDINFO_FLAGS)
$(BUILD)/cmd/buildinfo.o: $(BUILD)/buildinfo.flags
$(BUILD)/buildinfo.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(BUILDINFO_FLAGS)' | cmp -s - $@ || echo '$(BUILDINFO_FLAGS)' > $@

# Man pages: Markdown in man/en and man/ja, converted with lowdown (scripts/deps.sh).
MAN_MD  = $(wildcard man/en/*.md man/ja/*.md)
MAN_OUT = $(MAN_MD:man/%.md=$(BUILD)/man/%)
man: $(MAN_OUT)
$(BUILD)/man/en/%: man/en/%.md
	@mkdir -p $(dir $@)
	lowdown -s -Tman --out-no-smarty -o $@ $<
# Japanese pages load groff's Japanese line-breaking rules (ja.tmac) and are not justified.
$(BUILD)/man/ja/%: man/ja/%.md
	@mkdir -p $(dir $@)
	lowdown -s -Tman --out-no-smarty $< | sed -e 's/^\(\.TH .*\)$$/.do mso ja.tmac\n\1\n.ad l/' > $@.tmp && mv $@.tmp $@

# Bash completion, made from the command table by the binary itself.
$(BUILD)/edgemap.bash: $(EDGEMAP)
	$(EDGEMAP) help --completion bash > $@.tmp && mv $@.tmp $@

install: all
	install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(DATADIR)' '$(DESTDIR)$(MANDIR)/man1' \
	    '$(DESTDIR)$(MANDIR)/ja/man1' '$(DESTDIR)$(COMPLETIONSDIR)'
	install -m 755 $(EDGEMAP) '$(DESTDIR)$(BINDIR)/edgemap'
	install -m 644 data/*.tsv '$(DESTDIR)$(DATADIR)/'
	install -m 644 $(filter $(BUILD)/man/en/%,$(MAN_OUT)) '$(DESTDIR)$(MANDIR)/man1/'
	install -m 644 $(filter $(BUILD)/man/ja/%,$(MAN_OUT)) '$(DESTDIR)$(MANDIR)/ja/man1/'
	install -m 644 $(BUILD)/edgemap.bash '$(DESTDIR)$(COMPLETIONSDIR)/edgemap'

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/edgemap' '$(DESTDIR)$(COMPLETIONSDIR)/edgemap'
	rm -f $(patsubst data/%,'$(DESTDIR)$(DATADIR)/%',$(wildcard data/*.tsv))
	rm -f $(patsubst man/en/%.md,'$(DESTDIR)$(MANDIR)/man1/%',$(wildcard man/en/*.md))
	rm -f $(patsubst man/ja/%.md,'$(DESTDIR)$(MANDIR)/ja/man1/%',$(wildcard man/ja/*.md))
	-rmdir '$(DESTDIR)$(DATADIR)' 2>/dev/null

$(BUILD)/tests/mapper_%: tests/unit/mapper_%.c $(wildcard tests/unit/*.h) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) -o $@ $< $(LIBMAPPER) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/render_%: tests/unit/render_%.c $(wildcard tests/unit/*.h) $(LIBRENDER) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(RENDER_CFLAGS) -o $@ $< $(LIBRENDER) $(LIBMAPPER) $(RENDER_LIBS) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/snmp_%: tests/unit/snmp_%.c $(wildcard tests/unit/*.h) $(LIBSNMP) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(SNMP_CFLAGS) -o $@ $< $(LIBSNMP) $(LIBMAPPER) $(SNMP_LIBS) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/fleet_%: tests/unit/fleet_%.c $(wildcard tests/unit/*.h) $(LIBFLEET) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(FLEET_CFLAGS) -o $@ $< $(LIBFLEET) $(LIBMAPPER) $(FLEET_LIBS) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/book_%: tests/unit/book_%.c $(wildcard tests/unit/*.h) $(LIBBOOK) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) -o $@ $< $(LIBBOOK) $(LIBMAPPER) $(BOOK_LIBS) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/tools/%: tests/tools/%.c $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBFLEET) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(shell pkg-config --cflags xlsxwriter 2>/dev/null) -o $@ $< $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBFLEET) $(LIBMAPPER) $(ALL_LIBS) $(shell pkg-config --libs xlsxwriter 2>/dev/null) $(LDFLAGS_ALL)

tests: all $(UT_MAPPER) $(UT_RENDER) $(UT_SNMP) $(UT_BOOK) $(UT_FLEET) $(TEST_TOOLS) $(BUILD)/samples/gen_samples

# scripts/deps.sh installs what a target needs: build (compile), demo, check (tests).
deps:
	@scripts/deps.sh build

# The sample workbooks are generated from samples/gen/ (libxlsxwriter) and committed;
# "make samples" rebuilds them.
SAMPLE_GEN = $(BUILD)/samples/gen_samples
$(SAMPLE_GEN): samples/gen/gen_samples.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(shell pkg-config --cflags xlsxwriter glib-2.0) -o $@ $< $(shell pkg-config --libs xlsxwriter glib-2.0)
samples: $(SAMPLE_GEN)
	$(SAMPLE_GEN) samples

demo:
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory all
	@EDGEMAP=$(abspath $(EDGEMAP)) scripts/demo.sh

test:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory tests
	@tests/run.sh $(BUILD)

check:
	@scripts/deps.sh check
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory SANITIZE=1 tests
	@tests/run.sh $(BUILD) $(BUILD)-san

fuzz:
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk FUZZ_BUILD=$(BUILD)-fuzz

bench: deps all
	@BUILD=$(BUILD) bench/run.sh

clean:
	rm -rf $(BUILD) $(BUILD)-san $(BUILD)-fuzz
ifeq ($(BUILD),build)
	rm -f edgemap
endif

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
