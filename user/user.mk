# SPDX-License-Identifier: GPL-2.0
#
# Userspace build of the portable ML-KEM core (kernel/mlkem/*.c), included by
# the top-level Makefile (paths are relative to the repository root).
#
#   make user          libraries, test programs and benchmark into $(BUILD)
#   make user-test     vector tests + accumulated test (ASan+UBSan build)
#                      VECTORS=DIR (default ../shared/vectors next to the repo)
#   make user-ct       valgrind constant-time check (+ its self-check)
#   make user-install  installs nothing (see below)
#   make user-clean    removes the userspace build products
#
# The core is compiled in four flavours, each with its own object directory
# under $(BUILD)/obj/:
#   normal  -O2, the reference library            -> $(BUILD)/libmlkem.a
#   kflags  -O2 with the kernel's code-gen flags  -> $(BUILD)/libmlkem-kflags.a
#   asan    -O1 -g, ASan+UBSan, for the tests     -> $(BUILD)/libmlkem-asan.a
#   ct      -O2 -g -DMLKEM_CT_TESTING, valgrind   -> $(BUILD)/libmlkem-ct.a
#   ctk     the same with the kernel's flags      -> $(BUILD)/libmlkem-ctk.a
#           (the constant-time check also runs on the kernel's code-gen)
# Programs go to $(BUILD)/user/.

MLKEM_DIR     := kernel/mlkem
MLKEM_SRCS    := $(wildcard $(MLKEM_DIR)/*.c)
USER_LIB_SRCS := user/lib/random.c
VECTOR_SRCS   := $(addprefix user/tests/,vectors.c report.c hex.c wycheproof.c acvp.c cctv.c)
ACCUM_SRC     := $(wildcard user/tests/accumulated.c)

VECTORS  ?= $(abspath $(CURDIR)/../shared/vectors)
UOBJ     := $(BUILD)/obj
UBIN     := $(BUILD)/user

USER_CC       ?= $(CC)
USER_WARN     := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
USER_INC      := -I$(MLKEM_DIR) -Iuser/lib -Iuser/tests
USER_DEPFLAGS  = -MMD -MP -MF $(@:.o=.d)

UCFLAGS_normal := $(USER_WARN) -O2
# The kernel builds x86-64 code without SSE/AVX, without the red zone and
# without strict aliasing; the benchmark measures what that costs.
UCFLAGS_kflags := $(USER_WARN) -O2 -mno-sse -mno-sse2 -mno-avx -mno-red-zone \
		  -fno-strict-aliasing
USER_SAN       := -fsanitize=address,undefined -fno-sanitize-recover=all
UCFLAGS_asan   := $(USER_WARN) -O1 -g -fno-omit-frame-pointer $(USER_SAN)
UCFLAGS_ct     := $(USER_WARN) -O2 -g -DMLKEM_CT_TESTING
UCFLAGS_ctk    := $(UCFLAGS_kflags) -g -DMLKEM_CT_TESTING

JSONC_CFLAGS = $(shell pkg-config --cflags json-c 2>/dev/null)
JSONC_LIBS   = $(shell pkg-config --libs json-c 2>/dev/null)

objs = $(patsubst %.c,$(UOBJ)/$(1)/%.o,$(2))

LIB_normal := $(BUILD)/libmlkem.a
LIB_kflags := $(BUILD)/libmlkem-kflags.a
LIB_asan   := $(BUILD)/libmlkem-asan.a
LIB_ct     := $(BUILD)/libmlkem-ct.a
LIB_ctk    := $(BUILD)/libmlkem-ctk.a

USER_PROGS := $(UBIN)/vectors $(UBIN)/ct $(UBIN)/ct-kflags $(UBIN)/bench-normal $(UBIN)/bench-kflags \
	      $(if $(ACCUM_SRC),$(UBIN)/accumulated)

.PHONY: user user-test user-ct user-install user-clean user-check-core \
	user-check-jsonc user-check-valgrind

user: $(LIB_normal) $(LIB_kflags) $(LIB_asan) $(LIB_ct) $(LIB_ctk) $(USER_PROGS)

user-check-core:
	@test -n "$(MLKEM_SRCS)" || { echo "user: no core sources in $(MLKEM_DIR)/*.c" >&2; exit 1; }

user-check-jsonc:
	@pkg-config --exists json-c || { echo "user: json-c not found: apt-get install libjson-c-dev pkg-config" >&2; exit 1; }

user-check-valgrind:
	@printf '#include <valgrind/memcheck.h>\n' | $(USER_CC) -E -x c - >/dev/null 2>&1 || \
		{ echo "user: <valgrind/memcheck.h> not found: apt-get install valgrind" >&2; exit 1; }

# One pattern rule per flavour; objects of the core and of user/ alike.
define flavour_rules
$(UOBJ)/$(1)/%.o: %.c | user-check-core
	@mkdir -p $$(@D)
	$$(USER_CC) $$(UCFLAGS_$(1)) $$(USER_INC) $$(UXCFLAGS) $$(USER_DEPFLAGS) -c $$< -o $$@

$$(LIB_$(1)): $(call objs,$(1),$(MLKEM_SRCS) $(USER_LIB_SRCS))
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach f,normal kflags asan ct ctk,$(eval $(call flavour_rules,$(f))))

# Only the core gets the kernel's flags: random.c and the timing harness use
# libc headers and are built normally (they are not what is being measured).
$(UOBJ)/kflags/user/lib/random.o $(UOBJ)/ctk/user/lib/random.o: user/lib/random.c
	@mkdir -p $(@D)
	$(USER_CC) $(UCFLAGS_normal) $(USER_INC) $(USER_DEPFLAGS) -c $< -o $@

$(call objs,asan,$(VECTOR_SRCS)): UXCFLAGS = $(JSONC_CFLAGS)

$(call objs,asan,$(VECTOR_SRCS)): | user-check-jsonc
$(call objs,ct,user/tests/ct.c): | user-check-valgrind
$(call objs,ct,$(MLKEM_SRCS)) $(call objs,ctk,$(MLKEM_SRCS)): | user-check-valgrind

$(UBIN)/vectors: $(call objs,asan,$(VECTOR_SRCS)) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(JSONC_LIBS)

$(UBIN)/accumulated: $(call objs,asan,$(ACCUM_SRC)) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^

$(UBIN)/ct: $(call objs,ct,user/tests/ct.c) $(LIB_ct)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

# The test driver itself is built normally; only the core gets kernel flags.
$(UBIN)/ct-kflags: $(call objs,ct,user/tests/ct.c) $(LIB_ctk)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

# The same timing harness linked against either flavour of the core.
$(UBIN)/bench-normal: $(call objs,normal,user/bench/bench.c) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

$(UBIN)/bench-kflags: $(call objs,normal,user/bench/bench.c) $(LIB_kflags)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

# user-test: one summary line for everything (tools/check reads the last one).
user-test: $(UBIN)/vectors $(if $(ACCUM_SRC),$(UBIN)/accumulated)
	@bash user/tests/run-tests.sh "$(UBIN)" "$(VECTORS)"

user-ct: $(UBIN)/ct $(UBIN)/ct-kflags
	@bash user/tests/run-ct.sh "$(UBIN)/ct" "$(UBIN)/ct-kflags"

# Nothing user-facing exists yet: the library and programs above are test and
# benchmark tools for developers, so there is nothing to install.
user-install:
	@true

user-clean:
	rm -rf $(UOBJ) $(UBIN) $(BUILD)/libmlkem.a $(BUILD)/libmlkem-*.a

-include $(shell find $(UOBJ) -name '*.d' 2>/dev/null)
