# edgemap — one Makefile, pkg-config for every library.
#
#   make            build ./edgemap
#   make demo       install missing Debian packages, build, run the bundled samples
#   make check      install missing packages, run the whole suite, then again under
#                   ASan+UBSan (SANITIZE=1); the last line is "N passed, N failed"
#   make fuzz       build the libFuzzer targets (clang)
#   make bench      benchmarks (bench/), results into docs/PERFORMANCE.md by hand
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
BUILD    = build-san
OPT      = -O1
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

PKG_MAPPER = libxml-2.0 libzip glib-2.0 json-c
PKG_RENDER = libcgraph libgvc cairo
PKG_BOOK   = xlsxwriter

# pkg-config is asked only when the packages are there, so "make deps" can run first.
MAPPER_CFLAGS := $(shell pkg-config --cflags $(PKG_MAPPER) 2>/dev/null)
MAPPER_LIBS   := $(shell pkg-config --libs $(PKG_MAPPER) 2>/dev/null)
RENDER_CFLAGS := $(shell pkg-config --cflags $(PKG_RENDER) 2>/dev/null)
RENDER_LIBS   := $(shell pkg-config --libs $(PKG_RENDER) 2>/dev/null)
BOOK_CFLAGS   := $(shell pkg-config --cflags $(PKG_BOOK) 2>/dev/null)
BOOK_LIBS     := $(shell pkg-config --libs $(PKG_BOOK) 2>/dev/null)
SNMP_CFLAGS   := $(shell net-snmp-config --base-cflags 2>/dev/null)
SNMP_LIBS     := $(shell net-snmp-config --netsnmp-libs 2>/dev/null) -lresolv

CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -g $(SANFLAGS) -I. $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

MAPPER_SRC = $(wildcard mapper/*.c)
RENDER_SRC = $(wildcard render/*.c)
SNMP_SRC   = $(wildcard snmp/*.c)
BOOK_SRC   = $(wildcard book/*.c)
CMD_SRC    = $(wildcard cmd/*.c)

MAPPER_OBJ = $(MAPPER_SRC:%.c=$(BUILD)/%.o)
RENDER_OBJ = $(RENDER_SRC:%.c=$(BUILD)/%.o)
SNMP_OBJ   = $(SNMP_SRC:%.c=$(BUILD)/%.o)
BOOK_OBJ   = $(BOOK_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ    = $(CMD_SRC:%.c=$(BUILD)/%.o)

LIBMAPPER = $(BUILD)/libmapper.a
LIBRENDER = $(BUILD)/librender.a
LIBSNMP   = $(BUILD)/libsnmp.a
LIBBOOK   = $(BUILD)/librbook.a

# Unit tests: tests/unit/<module>_<name>.c, one program each, linked with that module.
UT_MAPPER = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/mapper_*.c))
UT_RENDER = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/render_*.c))
UT_SNMP   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/snmp_*.c))
UT_BOOK   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/book_*.c))
# Helper programs the tests use (generators, harnesses): tests/tools/*.c, linked with all.
TEST_TOOLS = $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(wildcard tests/tools/*.c))

# The binary is $(BUILD)/edgemap; the default build also links it as ./edgemap.
# Several people (or helpers) can build side by side with BUILD=build-<name>.
EDGEMAP = $(BUILD)/edgemap

.PHONY: all deps demo check test tests fuzz bench clean
all: $(EDGEMAP)
ifeq ($(BUILD),build)
	@ln -sf build/edgemap edgemap
endif

ALL_LIBS = $(RENDER_LIBS) $(SNMP_LIBS) $(BOOK_LIBS) $(MAPPER_LIBS) -lm

$(EDGEMAP): $(CMD_OBJ) $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBMAPPER)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CMD_OBJ) $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBMAPPER) $(ALL_LIBS)

$(LIBMAPPER): $(MAPPER_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBRENDER): $(RENDER_OBJ)
	@rm -f $@; ar rcs $@ $^
$(LIBSNMP): $(SNMP_OBJ)
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
$(BUILD)/book/%.o: book/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(BOOK_CFLAGS) -MMD -MP -c -o $@ $<
$(BUILD)/cmd/%.o: cmd/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/mapper_%: tests/unit/mapper_%.c $(wildcard tests/unit/*.h) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) -o $@ $< $(LIBMAPPER) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/render_%: tests/unit/render_%.c $(wildcard tests/unit/*.h) $(LIBRENDER) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(RENDER_CFLAGS) -o $@ $< $(LIBRENDER) $(LIBMAPPER) $(RENDER_LIBS) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/snmp_%: tests/unit/snmp_%.c $(wildcard tests/unit/*.h) $(LIBSNMP) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(SNMP_CFLAGS) -o $@ $< $(LIBSNMP) $(LIBMAPPER) $(SNMP_LIBS) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/book_%: tests/unit/book_%.c $(wildcard tests/unit/*.h) $(LIBBOOK) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) -o $@ $< $(LIBBOOK) $(LIBMAPPER) $(BOOK_LIBS) $(MAPPER_LIBS) -lm $(LDFLAGS_ALL)
$(BUILD)/tests/tools/%: tests/tools/%.c $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBMAPPER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(MAPPER_CFLAGS) $(shell pkg-config --cflags xlsxwriter 2>/dev/null) -o $@ $< $(LIBRENDER) $(LIBSNMP) $(LIBBOOK) $(LIBMAPPER) $(ALL_LIBS) $(shell pkg-config --libs xlsxwriter 2>/dev/null) $(LDFLAGS_ALL)

tests: all $(UT_MAPPER) $(UT_RENDER) $(UT_SNMP) $(UT_BOOK) $(TEST_TOOLS)

deps:
	@scripts/deps.sh

# The sample workbooks are generated from samples/gen/ (libxlsxwriter) and committed;
# "make samples" rebuilds them.
SAMPLE_GEN = $(BUILD)/samples/gen_samples
$(SAMPLE_GEN): samples/gen/gen_samples.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(shell pkg-config --cflags xlsxwriter glib-2.0) -o $@ $< $(shell pkg-config --libs xlsxwriter glib-2.0)
samples: $(SAMPLE_GEN)
	$(SAMPLE_GEN) samples

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

test: deps
	@$(MAKE) --no-print-directory tests
	@tests/run.sh $(BUILD)

check: deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory SANITIZE=1 tests
	@tests/run.sh build build-san

fuzz:
	@$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk

bench: deps all
	@bench/run.sh

clean:
	rm -rf build build-san edgemap

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
