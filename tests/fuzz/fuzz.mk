# fuzz.mk — libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined).
#   make -f tests/fuzz/fuzz.mk [FUZZ_BUILD=build-fuzz]   fuzz_xlsx, fuzz_xlsx_sheet, fuzz_csv,
#        fuzz_disc, fuzz_diff, fuzz_snmpconf, fuzz_xlsx_merge, fuzz_walk, fuzz_varbind, fuzz_nmap,
#        fuzz_finding, fuzz_json_str, fuzz_json_model, fuzz_accept, fuzz_advisory, fuzz_eos,
#        fuzz_makers
#   make -f tests/fuzz/fuzz.mk replay [FUZZ_BUILD=...]         replay_xlsx, replay_csv
#        (the same targets driven by tests/fuzz/replay.c, built with $(CC) + ASan/UBSan,
#         for replaying the seeds where clang is missing)
# mapper/*.c is compiled here with the fuzzer's instrumentation into $(FUZZ_BUILD)/.
# Run:  build-fuzz/fuzz_xlsx NEWDIR ../shared/corpus/xlsx-excel
#       build-fuzz/fuzz_xlsx_sheet NEWDIR tests/fuzz/corpus/xlsx_sheet
#       build-fuzz/fuzz_csv NEWDIR tests/fuzz/corpus/csv
# (see tests/integration/fuzz_replay.sh for the bounded run inside make check)

CLANG      ?= clang
CC         ?= cc
FUZZ_BUILD ?= build-fuzz

PKGS      = libxml-2.0 libzip glib-2.0 json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
              -fno-omit-frame-pointer -Wall -Wextra -I. $(PKG_CFLAGS)
FUZZ_CFLAGS = $(BASE_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
              -fno-sanitize-recover=undefined
REPLAY_CFLAGS = $(BASE_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=undefined

MAPPER_SRC  = $(wildcard mapper/*.c)
FUZZ_OBJ    = $(MAPPER_SRC:%.c=$(FUZZ_BUILD)/fz/%.o)
REPLAY_OBJ  = $(MAPPER_SRC:%.c=$(FUZZ_BUILD)/rp/%.o)

# The CSV reader is another module; its target is built once mapper/csv.c exists.
# fuzz_xlsx_sheet wraps its input (a sheet's XML) into a valid zip: it reaches the XML.
NAMES = xlsx xlsx_sheet disc diff
NAMES += drawio
# fuzz_finding: packed finding messages against the plain vsnprintf (a differential target)
NAMES += finding
# fuzz_json_str: the model JSON's string escaper against the one it replaced (differential)
NAMES += json_str
# fuzz_json_model: a survey CSV -> model -> JSON that parses, the same by one thread and two
NAMES += json_model
ifneq ($(wildcard mapper/csv.c),)
NAMES += csv
endif

.PHONY: all replay clean
all: $(NAMES:%=$(FUZZ_BUILD)/fuzz_%)
replay: $(NAMES:%=$(FUZZ_BUILD)/replay_%)

$(FUZZ_BUILD)/fz/mapper/%.o: mapper/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<
$(FUZZ_BUILD)/rp/mapper/%.o: mapper/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REPLAY_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fz/libmapper.a: $(FUZZ_OBJ)
	@rm -f $@; ar rcs $@ $^
$(FUZZ_BUILD)/rp/libmapper.a: $(REPLAY_OBJ)
	@rm -f $@; ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/fz/libmapper.a
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/fz/libmapper.a $(PKG_LIBS) -lm
$(FUZZ_BUILD)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_BUILD)/rp/libmapper.a
	$(CC) $(REPLAY_CFLAGS) -o $@ $< tests/fuzz/replay.c $(FUZZ_BUILD)/rp/libmapper.a $(PKG_LIBS) -lm

clean:
	rm -rf $(FUZZ_BUILD)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

# ---- snmp/ targets (discovery): fuzz_walk (walk-dump reader + device decoder) and
# fuzz_varbind (varbind decoding). Only snmp/'s pure files are linked: no net-snmp.
#   build-fuzz/fuzz_walk NEWDIR tests/fuzz/corpus/walk
#   build-fuzz/fuzz_varbind NEWDIR tests/fuzz/corpus/varbind
SNMP_PURE_SRC  = snmp/walkfile.c snmp/vb.c snmp/lldp.c snmp/addr.c snmp/device.c snmp/v3probe.c \
                 snmp/cdp.c snmp/arp.c snmp/fdb.c snmp/route.c snmp/vlan.c
SNMP_FUZZ_OBJ  = $(SNMP_PURE_SRC:%.c=$(FUZZ_BUILD)/fz/%.o)
SNMP_REPLAY_OBJ = $(SNMP_PURE_SRC:%.c=$(FUZZ_BUILD)/rp/%.o)
SNMP_FUZZ_NAMES = walk varbind

.PHONY: snmp snmp-replay
all: snmp
replay: snmp-replay
snmp: $(SNMP_FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
snmp-replay: $(SNMP_FUZZ_NAMES:%=$(FUZZ_BUILD)/replay_%)

$(FUZZ_BUILD)/fz/snmp/%.o: snmp/%.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<
$(FUZZ_BUILD)/rp/snmp/%.o: snmp/%.c
	@mkdir -p $(dir $@)
	$(CC) $(REPLAY_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_walk $(FUZZ_BUILD)/fuzz_varbind: $(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(SNMP_FUZZ_OBJ) $(FUZZ_BUILD)/fz/libmapper.a
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(SNMP_FUZZ_OBJ) $(FUZZ_BUILD)/fz/libmapper.a $(PKG_LIBS) -lm
$(FUZZ_BUILD)/replay_walk $(FUZZ_BUILD)/replay_varbind: $(FUZZ_BUILD)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(SNMP_REPLAY_OBJ) $(FUZZ_BUILD)/rp/libmapper.a
	$(CC) $(REPLAY_CFLAGS) -o $@ $< tests/fuzz/replay.c $(SNMP_REPLAY_OBJ) $(FUZZ_BUILD)/rp/libmapper.a $(PKG_LIBS) -lm

# ---- nmap XML (mapper/scan.c): fuzz_nmap drives em_scan_load_mem on a model with
# declared addresses and blocks; built by the generic fuzz_%/replay_% rules above.
#   build-fuzz/fuzz_nmap NEWDIR tests/fuzz/corpus/nmap
.PHONY: nmap nmap-replay
all: nmap
replay: nmap-replay
nmap: $(FUZZ_BUILD)/fuzz_nmap
nmap-replay: $(FUZZ_BUILD)/replay_nmap

# ---- the --snmp-config parser (snmp/conf.c, with snmp/addr.c for the scopes), the
# DISC.json reader (fuzz_disc: mapper/discovered.c) and the diff reader (fuzz_diff:
# mapper/diff.c); the last two are built by the generic rules above.
#   build-fuzz/fuzz_snmpconf NEWDIR tests/fuzz/corpus/snmpconf
#   build-fuzz/fuzz_disc NEWDIR tests/fuzz/corpus/disc
#   build-fuzz/fuzz_diff NEWDIR tests/fuzz/corpus/diff
CONF_SRC = snmp/conf.c snmp/addr.c
.PHONY: snmpconf snmpconf-replay
all: snmpconf
replay: snmpconf-replay
snmpconf: $(FUZZ_BUILD)/fuzz_snmpconf
snmpconf-replay: $(FUZZ_BUILD)/replay_snmpconf
$(FUZZ_BUILD)/fuzz_snmpconf: tests/fuzz/fuzz_snmpconf.c $(CONF_SRC:%.c=$(FUZZ_BUILD)/fz/%.o) $(FUZZ_BUILD)/fz/libmapper.a
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(CONF_SRC:%.c=$(FUZZ_BUILD)/fz/%.o) $(FUZZ_BUILD)/fz/libmapper.a $(PKG_LIBS) -lm
$(FUZZ_BUILD)/replay_snmpconf: tests/fuzz/fuzz_snmpconf.c tests/fuzz/replay.c $(CONF_SRC:%.c=$(FUZZ_BUILD)/rp/%.o) $(FUZZ_BUILD)/rp/libmapper.a
	$(CC) $(REPLAY_CFLAGS) -o $@ $< tests/fuzz/replay.c $(CONF_SRC:%.c=$(FUZZ_BUILD)/rp/%.o) $(FUZZ_BUILD)/rp/libmapper.a $(PKG_LIBS) -lm

# ---- fuzz_xlsx_merge: fuzz_xlsx_sheet.c built with -DFUZZ_MERGE_DIFF, a differential
# test of the merged-range byte scanner against the plain libxml2 pass.
#   build-fuzz/fuzz_xlsx_merge NEWDIR tests/fuzz/corpus/xlsx_sheet
.PHONY: xlsx-merge xlsx-merge-replay
all: xlsx-merge
replay: xlsx-merge-replay
xlsx-merge: $(FUZZ_BUILD)/fuzz_xlsx_merge
xlsx-merge-replay: $(FUZZ_BUILD)/replay_xlsx_merge
$(FUZZ_BUILD)/fuzz_xlsx_merge: tests/fuzz/fuzz_xlsx_sheet.c $(FUZZ_BUILD)/fz/libmapper.a
	$(CLANG) $(FUZZ_CFLAGS) -DFUZZ_MERGE_DIFF -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/fz/libmapper.a $(PKG_LIBS) -lm
$(FUZZ_BUILD)/replay_xlsx_merge: tests/fuzz/fuzz_xlsx_sheet.c tests/fuzz/replay.c $(FUZZ_BUILD)/rp/libmapper.a
	$(CC) $(REPLAY_CFLAGS) -DFUZZ_MERGE_DIFF -o $@ $< tests/fuzz/replay.c $(FUZZ_BUILD)/rp/libmapper.a $(PKG_LIBS) -lm

# ---- per-decoder targets (snmp/cdp.c, fdb.c, arp.c, route.c and the inference /
# segments on top): one harness, tests/fuzz/fuzz_table.h, a prefix table per target.
#   build-fuzz/fuzz_cdp NEWDIR tests/fuzz/corpus/cdp   (fdb, arp, route alike)
SNMP_L2_SRC = $(SNMP_PURE_SRC) snmp/links.c \
              snmp/infer.c snmp/segments.c snmp/oui.c
SNMP_L2_FUZZ_OBJ = $(sort $(SNMP_L2_SRC:%.c=$(FUZZ_BUILD)/fz/%.o))
SNMP_L2_REPLAY_OBJ = $(sort $(SNMP_L2_SRC:%.c=$(FUZZ_BUILD)/rp/%.o))
SNMP_L2_NAMES = cdp fdb arp route
.PHONY: snmp-l2 snmp-l2-replay
all: snmp-l2
replay: snmp-l2-replay
snmp-l2: $(SNMP_L2_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
snmp-l2-replay: $(SNMP_L2_NAMES:%=$(FUZZ_BUILD)/replay_%)
$(SNMP_L2_NAMES:%=$(FUZZ_BUILD)/fuzz_%): $(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_table.h $(SNMP_L2_FUZZ_OBJ) $(FUZZ_BUILD)/fz/libmapper.a
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(SNMP_L2_FUZZ_OBJ) $(FUZZ_BUILD)/fz/libmapper.a $(PKG_LIBS) -lm
$(SNMP_L2_NAMES:%=$(FUZZ_BUILD)/replay_%): $(FUZZ_BUILD)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_table.h tests/fuzz/replay.c $(SNMP_L2_REPLAY_OBJ) $(FUZZ_BUILD)/rp/libmapper.a
	$(CC) $(REPLAY_CFLAGS) -o $@ $< tests/fuzz/replay.c $(SNMP_L2_REPLAY_OBJ) $(FUZZ_BUILD)/rp/libmapper.a $(PKG_LIBS) -lm

# ---- the text files users and the data directory hand in: the --accept file
# (mapper/accept.c), the advisory table (mapper/advisory.c) and the OS end-of-support
# table (mapper/eos.c), built by the generic rules above; the router-makers list
# (snmp/oui.c, one of snmp/'s pure files: no net-snmp). Each writes its input to a
# memory file (tests/fuzz/fuzz_file.h) and hands the loader /proc/self/fd/N.
#   build-fuzz/fuzz_accept NEWDIR tests/fuzz/corpus/accept   (advisory, eos, makers alike)
TEXT_NAMES = accept advisory eos
.PHONY: textfiles textfiles-replay
all: textfiles
replay: textfiles-replay
textfiles: $(TEXT_NAMES:%=$(FUZZ_BUILD)/fuzz_%) $(FUZZ_BUILD)/fuzz_makers
textfiles-replay: $(TEXT_NAMES:%=$(FUZZ_BUILD)/replay_%) $(FUZZ_BUILD)/replay_makers
$(TEXT_NAMES:%=$(FUZZ_BUILD)/fuzz_%) $(TEXT_NAMES:%=$(FUZZ_BUILD)/replay_%): tests/fuzz/fuzz_file.h
$(FUZZ_BUILD)/fuzz_makers: tests/fuzz/fuzz_makers.c tests/fuzz/fuzz_file.h $(FUZZ_BUILD)/fz/snmp/oui.o $(FUZZ_BUILD)/fz/libmapper.a
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/fz/snmp/oui.o $(FUZZ_BUILD)/fz/libmapper.a $(PKG_LIBS) -lm
$(FUZZ_BUILD)/replay_makers: tests/fuzz/fuzz_makers.c tests/fuzz/fuzz_file.h tests/fuzz/replay.c $(FUZZ_BUILD)/rp/snmp/oui.o $(FUZZ_BUILD)/rp/libmapper.a
	$(CC) $(REPLAY_CFLAGS) -o $@ $< tests/fuzz/replay.c $(FUZZ_BUILD)/rp/snmp/oui.o $(FUZZ_BUILD)/rp/libmapper.a $(PKG_LIBS) -lm
