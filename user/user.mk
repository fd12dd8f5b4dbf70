# SPDX-License-Identifier: GPL-2.0
#
# Userspace build of the ML-KEM core (kernel/mlkem/*.c and, with an x86_64
# compiler, kernel/mlkem/x86_64/), included by the top-level Makefile (paths
# are relative to the repository root).
#
#   make user          libraries, test programs and benchmark into $(BUILD)
#   make user-test     vector tests + accumulated test (ASan+UBSan build),
#                      each against every backend the CPU supports, and the
#                      differential test of the backends (-O2, no ASan)
#                      VECTORS=DIR (default ../shared/vectors next to the repo)
#   make user-ct       valgrind constant-time check (+ its self-check), and
#                      the MemorySanitizer one (clang; covers AVX-512)
#   make user-install  installs pqkem to $(DESTDIR)$(PREFIX)/bin
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
#   msan    clang -O2 -g -fsanitize=memory -DMLKEM_CT_TESTING -DMLKEM_CT_MSAN
#           -> $(BUILD)/user/ct-msan (linked from objects, see below)
# Programs go to $(BUILD)/user/.

MLKEM_DIR     := kernel/mlkem
MLKEM_SRCS    := $(wildcard $(MLKEM_DIR)/*.c)
USER_LIB_SRCS := user/lib/random.c user/lib/hexbytes.c
VECTOR_SRCS   := $(addprefix user/tests/,vectors.c report.c hex.c wycheproof.c acvp.c cctv.c)
ACCUM_SRC     := $(wildcard user/tests/accumulated.c)

VECTORS  ?= $(abspath $(CURDIR)/../shared/vectors)
UOBJ     := $(BUILD)/obj
UBIN     := $(BUILD)/user

USER_CC       ?= $(CC)
# The architecture code, by folder as in Kbuild: x86_64/ (no vector flags),
# x86_64/avx2/ and x86_64/avx512/ (each with its ISA flags, below), built
# for an x86_64 compiler only - the one architecture guard.
MLKEM_X86_64_DIR := $(MLKEM_DIR)/x86_64
ifeq ($(shell $(USER_CC) -dumpmachine | grep -c '^x86_64'),1)
MLKEM_AVX2_SRCS   := $(wildcard $(MLKEM_X86_64_DIR)/avx2/*.c)
MLKEM_AVX512_SRCS := $(wildcard $(MLKEM_X86_64_DIR)/avx512/*.c)
MLKEM_SRCS        += $(wildcard $(MLKEM_X86_64_DIR)/*.c) $(MLKEM_AVX2_SRCS) \
		     $(MLKEM_AVX512_SRCS)
endif
USER_WARN     := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
USER_INC      := -I$(MLKEM_DIR) -Ikernel/frodo -Iuser/lib -Iuser/tests
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
# the FrodoKEM core's (see below); pqiked links it too
LIBF_normal := $(BUILD)/libfrodo.a
LIBF_kflags := $(BUILD)/libfrodo-kflags.a
LIBF_asan   := $(BUILD)/libfrodo-asan.a
LIBF_ct     := $(BUILD)/libfrodo-ct.a
LIBF_ctk    := $(BUILD)/libfrodo-ctk.a

# pqkem (user/pqkem/, Documentation/pqkem.rst): the command-line tool for
# the kernel's generic netlink family (libnl-genl-3) or the in-process core,
# and pqkem-vectors, the Wycheproof driver over the same backends. Normal
# builds for use and for guests (selftests/pqkem-vectors.sh), ASan+UBSan
# builds for make user-test.
# user/lib/kemclient.c: the KEM service client (libnl-genl-3) that pqkem and
# pqiked share; it is not part of the core library.
KEMC_SRCS      := user/lib/kemclient.c
PQKEM_COMMON   := $(addprefix user/pqkem/,alg.c io.c output.c backend-user.c backend-kernel.c) $(KEMC_SRCS)
PQKEM_SRCS     := user/pqkem/cli.c user/pqkem/bench.c $(PQKEM_COMMON)
PQKEM_VEC_SRCS := user/pqkem/vectors.c $(PQKEM_COMMON)
NL_CFLAGS       = $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS         = $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
PQKEM_PROGS    := $(UBIN)/pqkem $(UBIN)/pqkem-vectors $(UBIN)/pqkem-asan $(UBIN)/pqkem-vectors-asan

# clang for the MemorySanitizer constant-time check (ct-msan, see below)
MSAN_CC ?= clang-16
CT_MSAN := $(UBIN)/ct-msan

USER_PROGS := $(PQKEM_PROGS) $(UBIN)/pqiked $(UBIN)/pqikectl $(UBIN)/ike_bench $(UBIN)/ike_peer $(UBIN)/ike_wire $(UBIN)/ike_keymat $(UBIN)/ike_sk $(UBIN)/ike_ke $(UBIN)/ike_proposal $(UBIN)/ike_exchange $(UBIN)/ike_rekey $(UBIN)/diff $(UBIN)/vectors $(UBIN)/ct $(UBIN)/ct-kflags $(UBIN)/bench-normal $(UBIN)/bench-kflags \
	      $(if $(ACCUM_SRC),$(UBIN)/accumulated) $(CT_MSAN)

.PHONY: user-fuzz
.PHONY: user user-test user-ct user-install user-clean user-check-core \
	user-check-jsonc user-check-valgrind user-check-libnl

user: $(LIB_normal) $(LIB_kflags) $(LIB_asan) $(LIB_ct) $(LIB_ctk) $(USER_PROGS)

user-check-core:
	@test -n "$(MLKEM_SRCS)" || { echo "user: no core sources in $(MLKEM_DIR)/*.c" >&2; exit 1; }

user-check-jsonc:
	@pkg-config --exists json-c || { echo "user: json-c not found: apt-get install libjson-c-dev pkg-config" >&2; exit 1; }

user-check-libnl:
	@pkg-config --exists libnl-genl-3.0 || { echo "user: libnl-genl-3.0 not found: apt-get install libnl-genl-3-dev pkg-config" >&2; exit 1; }

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

# The vector backends' files get their ISA flags on top of each flavour's
# flags (as in the kernel: kernel flags plus e.g. -mavx2); nothing the
# portable code calls is in them. By folder: x86_64/avx2/ gets AVX2 (with
# BMI1/BMI2 and POPCNT), x86_64/avx512/ AVX-512 (F, VL, BW, DQ) on top.
MLKEM_AVX2_FLAGS := -mavx2 -mbmi -mbmi2 -mpopcnt
MLKEM_AVX512_FLAGS := -mavx2 -mbmi -mbmi2 -mpopcnt -mavx512f -mavx512vl -mavx512bw -mavx512dq
$(foreach f,normal kflags asan ct ctk,$(call objs,$(f),$(MLKEM_AVX2_SRCS))): \
	UXCFLAGS = $(MLKEM_AVX2_FLAGS)
$(foreach f,normal kflags asan ct ctk,$(call objs,$(f),$(MLKEM_AVX512_SRCS))): \
	UXCFLAGS = $(MLKEM_AVX512_FLAGS)

# Only the core gets the kernel's flags: user/lib/*.c and the timing harness use
# libc headers and are built normally (they are not what is being measured).
$(UOBJ)/kflags/user/lib/%.o: user/lib/%.c
	@mkdir -p $(@D)
	$(USER_CC) $(UCFLAGS_normal) $(USER_INC) $(USER_DEPFLAGS) -c $< -o $@
$(UOBJ)/ctk/user/lib/%.o: user/lib/%.c
	@mkdir -p $(@D)
	$(USER_CC) $(UCFLAGS_normal) $(USER_INC) $(USER_DEPFLAGS) -c $< -o $@

$(call objs,asan,$(VECTOR_SRCS)): UXCFLAGS = $(JSONC_CFLAGS)

$(call objs,asan,$(VECTOR_SRCS)): | user-check-jsonc
$(call objs,ct,user/tests/ct.c): | user-check-valgrind
$(call objs,ct,$(MLKEM_SRCS)) $(call objs,ctk,$(MLKEM_SRCS)): | user-check-valgrind

$(foreach f,normal asan,$(call objs,$(f),$(PQKEM_SRCS) $(PQKEM_VEC_SRCS))): \
	UXCFLAGS = -Iuser/pqkem -Iinclude/uapi $(NL_CFLAGS) $(JSONC_CFLAGS)
$(foreach f,normal asan,$(call objs,$(f),$(PQKEM_SRCS) $(PQKEM_VEC_SRCS))): \
	| user-check-libnl user-check-jsonc

$(UBIN)/pqkem: $(call objs,normal,$(PQKEM_SRCS)) $(LIBF_normal) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^ $(NL_LIBS)

$(UBIN)/pqkem-vectors: $(call objs,normal,$(PQKEM_VEC_SRCS)) $(LIBF_normal) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^ $(NL_LIBS) $(JSONC_LIBS)

$(UBIN)/pqkem-asan: $(call objs,asan,$(PQKEM_SRCS)) $(LIBF_asan) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(NL_LIBS)

$(UBIN)/pqkem-vectors-asan: $(call objs,asan,$(PQKEM_VEC_SRCS)) $(LIBF_asan) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(NL_LIBS) $(JSONC_LIBS)

$(UBIN)/vectors: $(call objs,asan,$(VECTOR_SRCS)) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(JSONC_LIBS)

# The differential test of the backends: -O2, no sanitizers (for speed).
$(UBIN)/diff: $(call objs,normal,user/tests/diff.c) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

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

# The MemorySanitizer constant-time check (user/tests/ct-msan.c): the core,
# user/lib and the driver built with clang -fsanitize=memory (MSan needs
# every object instrumented), the vector folders with their ISA flags, so
# that it runs the AVX-512 backend valgrind cannot. It needs clang-16
# (tools/deps installs it); without it the build fails. -fno-sanitize-memory-param-retval: clang 16 otherwise reports
# every secret passed by value to a function, which is not a leak.
UCFLAGS_msan := $(USER_WARN) -O2 -g -fno-omit-frame-pointer \
		-fsanitize=memory -fno-sanitize-memory-param-retval \
		-DMLKEM_CT_TESTING -DMLKEM_CT_MSAN -include user/tests/ct-msan-mem.h
MSAN_SRCS := $(MLKEM_SRCS) $(USER_LIB_SRCS) user/tests/ct-msan.c \
	     user/tests/ct-msan-child.c
$(UOBJ)/msan/%.o: %.c | user-check-core
	@mkdir -p $(@D)
	$(MSAN_CC) $(UCFLAGS_msan) $(USER_INC) $(UXCFLAGS) $(USER_DEPFLAGS) -c $< -o $@
$(call objs,msan,$(MLKEM_AVX2_SRCS)): UXCFLAGS = $(MLKEM_AVX2_FLAGS)
$(call objs,msan,$(MLKEM_AVX512_SRCS)): UXCFLAGS = $(MLKEM_AVX512_FLAGS)
$(UBIN)/ct-msan: $(call objs,msan,$(MSAN_SRCS))
	@mkdir -p $(@D)
	$(MSAN_CC) -fsanitize=memory -o $@ $^
# The same timing harness linked against either flavour of the core.
$(UBIN)/bench-normal: $(call objs,normal,user/bench/bench.c) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

$(UBIN)/bench-kflags: $(call objs,normal,user/bench/bench.c) $(LIB_kflags)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

# user-test: one summary line for everything (tools/check reads the last one).
user-test: $(UBIN)/vectors $(UBIN)/diff $(UBIN)/keccak_vec $(UBIN)/polydiff \
	   $(UBIN)/ike_wire $(UBIN)/ike_keymat $(UBIN)/ike_sk $(UBIN)/ike_ke \
	   $(UBIN)/ike_proposal $(UBIN)/ike_exchange $(UBIN)/ike_rekey $(UBIN)/pqiked \
	   $(if $(ACCUM_SRC),$(UBIN)/accumulated) \
	   $(UBIN)/pqkem-asan $(UBIN)/pqkem-vectors-asan
	@bash user/tests/run-tests.sh "$(UBIN)" "$(VECTORS)"

user-ct: $(UBIN)/ct $(UBIN)/ct-kflags $(CT_MSAN)
	@bash user/tests/run-ct.sh "$(UBIN)/ct" "$(UBIN)/ct-kflags" "$(CT_MSAN)"

# pqkem and pqiked are for users; the other programs are developer tools.
user-install: $(UBIN)/pqkem $(UBIN)/pqiked $(UBIN)/pqikectl
	install -D -m 0755 $(UBIN)/pqkem "$(DESTDIR)$(PREFIX)/bin/pqkem"
	install -D -m 0755 $(UBIN)/pqikectl "$(DESTDIR)$(PREFIX)/sbin/pqikectl"
	install -D -m 0755 $(UBIN)/pqiked "$(DESTDIR)$(PREFIX)/sbin/pqiked"
	install -D -m 0644 Documentation/pqiked.8 "$(DESTDIR)$(PREFIX)/share/man/man8/pqiked.8"
	install -D -m 0644 Documentation/pqikectl.8 "$(DESTDIR)$(PREFIX)/share/man/man8/pqikectl.8"
	install -D -m 0644 tools/pqiked.service "$(DESTDIR)/etc/systemd/system/pqiked.service"

user-clean:
	rm -rf $(UOBJ) $(UBIN) $(BUILD)/libmlkem.a $(BUILD)/libmlkem-*.a $(BUILD)/libfrodo.a $(BUILD)/libfrodo-*.a

-include $(shell find $(UOBJ) -name '*.d' 2>/dev/null)

# Keccak permutations of the vector backends.
# keccak_vec: every vector Keccak-f[1600] against mlkem_keccak_f1600
# (ASan+UBSan); keccak_bench: ns per permutation, core with kernel flags.
#   build/user/keccak_vec [N]         N random inputs per permutation (1000)
#   build/user/keccak_bench [CPU [SAMPLES [BATCH]]]
$(UBIN)/keccak_vec: $(call objs,asan,user/tests/keccak_vec.c) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^

$(UBIN)/keccak_bench: $(call objs,normal,user/bench/keccak_bench.c) $(LIB_kflags)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

# polydiff: the AVX2 polynomial functions against the portable ones.
$(UBIN)/polydiff: $(call objs,asan,user/tests/polydiff.c) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^

# The AEAD cores (kernel/aead/, Documentation/aead.rst), work in progress:
# AES-GCM with VAES + VPCLMULQDQ and single-pass ChaCha20-Poly1305, each on
# ymm and on zmm, userspace only so far.
# By folder, as for ML-KEM: kernel/aead/x86_64/vaes_avx2/ gets AVX2 with
# AES-NI, PCLMULQDQ, VAES and VPCLMULQDQ, vaes_avx512/ AVX-512 F and BW on
# top; chacha_avx2/ AVX2, chacha_avx512/ AVX-512 F and VL on top; built
# for an x86_64 compiler only.
# aead_vectors (ASan+UBSan): Wycheproof AES-GCM (96-bit IVs) and a
# differential test against OpenSSL's libcrypto, per variant;
# chachapoly_vectors the same for ChaCha20-Poly1305.
AEAD_DIR := kernel/aead
ifeq ($(shell $(USER_CC) -dumpmachine | grep -c '^x86_64'),1)
AEAD_VAES_AVX2_SRCS := $(wildcard $(AEAD_DIR)/x86_64/vaes_avx2/*.c)
AEAD_VAES_AVX512_SRCS := $(wildcard $(AEAD_DIR)/x86_64/vaes_avx512/*.c)
AEAD_X86_SRCS := $(AEAD_DIR)/x86_64/cpu.c
AEAD_CHACHA_AVX2_SRCS := $(wildcard $(AEAD_DIR)/x86_64/chacha_avx2/*.c)
AEAD_CHACHA_AVX512_SRCS := $(wildcard $(AEAD_DIR)/x86_64/chacha_avx512/*.c)
endif
AEAD_SRCS := $(AEAD_X86_SRCS) $(AEAD_VAES_AVX2_SRCS) $(AEAD_VAES_AVX512_SRCS)
CHACHAPOLY_SRCS := $(AEAD_X86_SRCS) $(AEAD_CHACHA_AVX2_SRCS) $(AEAD_CHACHA_AVX512_SRCS)
AEAD_VAES_AVX2_FLAGS := -mavx2 -maes -mpclmul -mvaes -mvpclmulqdq
AEAD_VAES_AVX512_FLAGS := $(AEAD_VAES_AVX2_FLAGS) -mavx512f -mavx512bw
# -O3 (as the kernel builds lib/zstd and lib/lz4): it unrolls the round
# and transposition loops, 7-10 % faster than -O2 (Documentation/aead.rst).
AEAD_CHACHA_AVX2_FLAGS := -mavx2 -O3
AEAD_CHACHA_AVX512_FLAGS := $(AEAD_CHACHA_AVX2_FLAGS) -mavx512f -mavx512vl
$(foreach f,normal kflags asan,$(call objs,$(f),$(AEAD_VAES_AVX2_SRCS))): \
	UXCFLAGS = $(AEAD_VAES_AVX2_FLAGS)
$(foreach f,normal kflags asan,$(call objs,$(f),$(AEAD_VAES_AVX512_SRCS))): \
	UXCFLAGS = $(AEAD_VAES_AVX512_FLAGS)
$(foreach f,normal kflags asan ct msan,$(call objs,$(f),$(AEAD_CHACHA_AVX2_SRCS))): \
	UXCFLAGS = $(AEAD_CHACHA_AVX2_FLAGS)
$(foreach f,normal kflags asan ct msan,$(call objs,$(f),$(AEAD_CHACHA_AVX512_SRCS))): \
	UXCFLAGS = $(AEAD_CHACHA_AVX512_FLAGS)
$(call objs,asan,user/tests/aead_vectors.c): UXCFLAGS = $(JSONC_CFLAGS) $(CRYPTO_CFLAGS)
$(call objs,asan,user/tests/aead_vectors.c): | user-check-jsonc user-check-libcrypto
$(UBIN)/aead_vectors: $(call objs,asan,user/tests/aead_vectors.c \
		user/tests/report.c user/tests/hex.c user/lib/hexbytes.c $(AEAD_SRCS))
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(JSONC_LIBS) $(CRYPTO_LIBS)
user: $(UBIN)/aead_vectors
user-test: $(UBIN)/aead_vectors
$(call objs,asan,user/tests/chachapoly_vectors.c): UXCFLAGS = $(JSONC_CFLAGS) $(CRYPTO_CFLAGS)
$(call objs,asan,user/tests/chachapoly_vectors.c): | user-check-jsonc user-check-libcrypto
$(UBIN)/chachapoly_vectors: $(call objs,asan,user/tests/chachapoly_vectors.c \
		user/tests/report.c user/tests/hex.c user/lib/hexbytes.c $(CHACHAPOLY_SRCS))
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(JSONC_LIBS) $(CRYPTO_LIBS)
user: $(UBIN)/chachapoly_vectors
user-test: $(UBIN)/chachapoly_vectors
# chachapoly_bench (not a test): the cores with the kernel's code-gen flags
# next to OpenSSL's ChaCha20-Poly1305, ns and GB/s at 64-8192 bytes.
#   build/user/chachapoly_bench [SAMPLES [BATCH]]
$(call objs,normal,user/bench/chachapoly_bench.c): UXCFLAGS = $(CRYPTO_CFLAGS)
$(call objs,normal,user/bench/chachapoly_bench.c): | user-check-libcrypto
$(UBIN)/chachapoly_bench: $(call objs,normal,user/bench/chachapoly_bench.c) \
		$(call objs,kflags,$(CHACHAPOLY_SRCS))
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^ $(CRYPTO_LIBS)
user: $(UBIN)/chachapoly_bench
# aead_bench (not a test; tools/bench-aead, make bench): AES-256-GCM and
# ChaCha20-Poly1305, our cores with the kernel's code-gen flags next to
# OpenSSL and the kernels' own x86 code (user/bench/aead_kref.c). That
# assembly is extracted at build time from Debian's linux-source-6.1
# (tools/deps installs it) and linux-source-7.3 (tools/deps keeps its
# tarball in $(KSRC73_TAR)) into $(KASM)/, never kept in the repository,
# and assembled with our stand-ins for the kernel's headers
# (user/bench/kasm/); 6.1's Poly1305 is generated by its perlasm as 6.1's
# Makefile does (perl, kernel flavour). Linked -no-pie: the kernel's code
# has absolute relocations. Not part of "make user": it needs both
# tarballs.
#   make aead-bench; build/user/aead_bench [-s SAMPLES] [-b BATCH] ...
PQREKEY_CACHE ?= /var/cache/pqrekey
KSRC61_TAR ?= /usr/src/linux-source-6.1.tar.xz
KSRC73_TAR ?= $(PQREKEY_CACHE)/debian13-backports/source/linux-source-7.3.tar.xz
KASM := $(BUILD)/kasm
KASM61_NAMES := aesni-intel_asm aesni-intel_avx-x86_64 chacha-ssse3-x86_64 \
	chacha-avx2-x86_64 chacha-avx512vl-x86_64
KASM73_NAMES := aes-gcm-vaes-avx2 aes-gcm-vaes-avx512
KASM_OBJS := $(patsubst %,$(KASM)/6.1/%.o,$(KASM61_NAMES) poly1305-x86_64-cryptogams) \
	$(patsubst %,$(KASM)/7.3/%.o,$(KASM73_NAMES))
# each set extracted again when its tarball changes
$(KASM)/6.1/.stamp: KTAR = $(KSRC61_TAR)
$(KASM)/6.1/.stamp: KFILES = $(addsuffix .S,$(KASM61_NAMES)) poly1305-x86_64-cryptogams.pl
$(KASM)/6.1/.stamp: $(wildcard $(KSRC61_TAR))
$(KASM)/7.3/.stamp: KTAR = $(KSRC73_TAR)
$(KASM)/7.3/.stamp: KFILES = $(addsuffix .S,$(KASM73_NAMES))
$(KASM)/7.3/.stamp: $(wildcard $(KSRC73_TAR))
$(KASM)/%/.stamp:
	@test -f "$(KTAR)" || { echo "aead_bench: no $(KTAR) (run tools/deps)" >&2; exit 1; }
	rm -rf $(@D) && mkdir -p $(@D)
	tar -xJf "$(KTAR)" -C $(@D) --strip-components=4 \
		$(addprefix linux-source-$*/arch/x86/crypto/,$(KFILES))
	touch $@
$(KASM)/6.1/poly1305-x86_64-cryptogams.S: $(KASM)/6.1/.stamp
	perl $(@D)/poly1305-x86_64-cryptogams.pl >$@.tmp && mv $@.tmp $@
$(KASM)/6.1/poly1305-x86_64-cryptogams.o: $(KASM)/6.1/poly1305-x86_64-cryptogams.S
# CONFIG_AS_AVX512: the kernel's guard around the AVX-512 code
KASM_AS = $(USER_CC) -c -Wa,--noexecstack -Iuser/bench/kasm -DCONFIG_AS_AVX512 \
	-o $@ $(@:.o=.S)
$(KASM)/6.1/%.o: $(KASM)/6.1/.stamp $(wildcard user/bench/kasm/*/*.h)
	$(KASM_AS)
$(KASM)/7.3/%.o: $(KASM)/7.3/.stamp $(wildcard user/bench/kasm/*/*.h)
	$(KASM_AS)
$(call objs,normal,user/bench/aead_bench.c): UXCFLAGS = $(CRYPTO_CFLAGS)
$(call objs,normal,user/bench/aead_bench.c): | user-check-libcrypto
$(UBIN)/aead_bench: $(call objs,normal,user/bench/aead_bench.c user/bench/aead_kref.c) \
		$(call objs,kflags,$(sort $(AEAD_SRCS) $(CHACHAPOLY_SRCS))) $(KASM_OBJS)
	@mkdir -p $(@D)
	$(USER_CC) -no-pie -o $@ $^ $(CRYPTO_LIBS)
.PHONY: aead-bench
aead-bench: $(UBIN)/aead_bench
# chachapoly_ct (make user-ct): the valgrind constant-time check of the
# ChaCha20-Poly1305 cores (key and plaintext secret), AVX2 only: valgrind
# does not run AVX-512 (chachapoly_ct_msan below does).
$(call objs,ct,user/tests/chachapoly_ct.c): | user-check-valgrind
$(UBIN)/chachapoly_ct: $(call objs,ct,user/tests/chachapoly_ct.c $(CHACHAPOLY_SRCS))
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^
user: $(UBIN)/chachapoly_ct
user-ct: $(UBIN)/chachapoly_ct
# chachapoly_ct_msan (make user-ct): the same under clang's MemorySanitizer,
# which also runs the AVX-512 variant (the msan flavour, see ct-msan above).
$(UBIN)/chachapoly_ct_msan: $(call objs,msan,user/tests/chachapoly_ct_msan.c $(CHACHAPOLY_SRCS))
	@mkdir -p $(@D)
	$(MSAN_CC) -fsanitize=memory -o $@ $^
user: $(UBIN)/chachapoly_ct_msan
user-ct: $(UBIN)/chachapoly_ct_msan

# pqiked (user/pqiked/): the wire layer and the key schedule so far, with
# their tests (ASan+UBSan): ike_wire (round trips, malformed messages),
# ike_sk (SK/SKF protection with each AEAD), ike_ke (x25519, ECP-256 and
# ML-KEM as KEMs; Wycheproof, RFC 5903, the draft's recipient tests) and
# ike_keymat (driven by user/tests/ike-keymat.py, which recomputes every
# value with Python's hmac). The key schedule uses OpenSSL's libcrypto.
IKE_WIRE_SRCS   := user/pqiked/parse.c user/pqiked/build.c
IKE_KEYMAT_SRCS := user/pqiked/keymat.c
IKE_SK_SRCS     := user/pqiked/sk.c
IKE_KE_SRCS     := user/pqiked/ke.c user/pqiked/ke_ecdh.c user/pqiked/ke_kem.c user/pqiked/ke_mlkem.c user/pqiked/ke_frodo.c
IKE_PROP_SRCS   := user/pqiked/proposal.c
IKE_SA_SRCS     := $(addprefix user/pqiked/,sa.c frag.c cookie.c natt.c auth.c task_init.c task_intermediate.c task_auth.c task_info.c task_rekey.c)
IKED_CORE_SRCS  := $(IKE_WIRE_SRCS) $(IKE_KEYMAT_SRCS) $(IKE_SK_SRCS) $(IKE_KE_SRCS) $(IKE_PROP_SRCS) $(IKE_SA_SRCS)
CRYPTO_CFLAGS    = $(shell pkg-config --cflags libcrypto 2>/dev/null)
CRYPTO_LIBS      = $(shell pkg-config --libs libcrypto 2>/dev/null)
$(call objs,asan,$(IKE_WIRE_SRCS) $(IKE_KEYMAT_SRCS) $(IKE_SK_SRCS) user/tests/ike_wire.c user/tests/ike_keymat.c user/tests/ike_sk.c): \
	UXCFLAGS = -Iuser/pqiked $(CRYPTO_CFLAGS)
$(call objs,asan,$(IKE_KE_SRCS) $(IKE_PROP_SRCS) $(IKE_SA_SRCS) user/tests/ike_ke.c user/tests/ike_proposal.c user/tests/ike_exchange.c user/tests/ike_rekey.c): \
	UXCFLAGS = -Iuser/pqiked -Iinclude/uapi $(CRYPTO_CFLAGS) $(NL_CFLAGS) $(JSONC_CFLAGS)
$(call objs,asan,$(IKE_KE_SRCS) $(IKE_PROP_SRCS) $(IKE_SA_SRCS) user/tests/ike_ke.c user/tests/ike_proposal.c user/tests/ike_exchange.c user/tests/ike_rekey.c): | user-check-libcrypto user-check-libnl user-check-jsonc
$(call objs,asan,$(IKE_KEYMAT_SRCS) $(IKE_SK_SRCS) user/tests/ike_keymat.c user/tests/ike_sk.c): | user-check-libcrypto

user-check-libcrypto:
	@pkg-config --exists libcrypto || { echo "user: libcrypto not found: apt-get install libssl-dev pkg-config" >&2; exit 1; }

$(UBIN)/ike_wire: $(call objs,asan,user/tests/ike_wire.c $(IKE_WIRE_SRCS))
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^

$(UBIN)/ike_sk: $(call objs,asan,user/tests/ike_sk.c $(IKE_SK_SRCS) $(IKE_WIRE_SRCS))
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(CRYPTO_LIBS)

$(UBIN)/ike_ke: $(call objs,asan,user/tests/ike_ke.c $(IKE_KE_SRCS) $(KEMC_SRCS)) $(LIBF_asan) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS) $(JSONC_LIBS)

$(UBIN)/ike_proposal: $(call objs,asan,user/tests/ike_proposal.c $(IKE_PROP_SRCS) $(IKE_WIRE_SRCS) $(IKE_KE_SRCS) $(IKE_SK_SRCS) $(IKE_KEYMAT_SRCS) $(KEMC_SRCS)) $(LIBF_asan) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS)

$(UBIN)/ike_exchange: $(call objs,asan,user/tests/ike_exchange.c $(IKED_CORE_SRCS) $(KEMC_SRCS)) $(LIBF_asan) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS)

$(UBIN)/ike_rekey: $(call objs,asan,user/tests/ike_rekey.c $(IKED_CORE_SRCS) $(KEMC_SRCS)) $(LIBF_asan) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS)

# pqiked itself: the core above plus the daemon, XFRM (libmnl) and config.
IKED_DAEMON_SRCS := $(addprefix user/pqiked/,main.c daemon.c net.c ops.c status.c log.c config.c xfrm.c control.c)
MNL_CFLAGS        = $(shell pkg-config --cflags libmnl 2>/dev/null)
MNL_LIBS          = $(shell pkg-config --libs libmnl 2>/dev/null)
$(call objs,normal,$(IKED_CORE_SRCS) $(IKED_DAEMON_SRCS) $(KEMC_SRCS)): \
	UXCFLAGS = -Iuser/pqiked -Iinclude/uapi $(CRYPTO_CFLAGS) $(NL_CFLAGS) $(MNL_CFLAGS)
$(call objs,normal,$(IKED_CORE_SRCS) $(IKED_DAEMON_SRCS)): | user-check-libcrypto user-check-libnl user-check-libmnl

user-check-libmnl:
	@pkg-config --exists libmnl || { echo "user: libmnl not found: apt-get install libmnl-dev pkg-config" >&2; exit 1; }

$(UBIN)/pqiked: $(call objs,normal,$(IKED_DAEMON_SRCS) $(IKED_CORE_SRCS) $(KEMC_SRCS)) $(LIBF_normal) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS) $(MNL_LIBS)

# ike_peer (user/tests/ike_peer.c): the crafted peer of the guest failure
# tests (selftests/pqiked.sh), a normal build like pqiked's.
$(call objs,normal,user/tests/ike_peer.c): UXCFLAGS = -Iuser/pqiked -Iinclude/uapi $(CRYPTO_CFLAGS) $(NL_CFLAGS)
$(UBIN)/ike_peer: $(call objs,normal,user/tests/ike_peer.c $(IKED_CORE_SRCS) $(KEMC_SRCS)) $(LIBF_normal) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS)

# ike_bench (user/bench/ike_bench.c): whole IKE SA set-ups in-process, -O2
# (tools/bench-ike runs it before the guest benchmark; not a test).
$(call objs,normal,user/bench/ike_bench.c): UXCFLAGS = -Iuser/pqiked -Iinclude/uapi $(CRYPTO_CFLAGS) $(NL_CFLAGS)
$(UBIN)/ike_bench: $(call objs,normal,user/bench/ike_bench.c $(IKED_CORE_SRCS) $(KEMC_SRCS)) $(LIBF_normal) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS)

# pqikectl: pqiked's control tool.
PQIKECTL_SRCS := $(addprefix user/pqikectl/,main.c ipc.c status.c up.c down.c rekey.c reload.c)
$(call objs,normal,$(PQIKECTL_SRCS)): UXCFLAGS = -Iuser/pqikectl
$(UBIN)/pqikectl: $(call objs,normal,$(PQIKECTL_SRCS))
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

# libFuzzer target of the message path (user/tests/fuzz_ike.c), clang-16
# with ASan and UBSan; the core library is linked uninstrumented.
FUZZ_CC     ?= clang-16
FUZZ_CFLAGS := $(USER_WARN) -O1 -g -fno-omit-frame-pointer \
	       -fsanitize=fuzzer-no-link,address,undefined \
	       -Iuser/pqiked -Iinclude/uapi $(USER_INC)
FUZZ_SRCS   := user/tests/fuzz_ike.c $(IKED_CORE_SRCS) $(KEMC_SRCS)
$(UOBJ)/fuzz/%.o: %.c | user-check-core user-check-libcrypto user-check-libnl
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(CRYPTO_CFLAGS) $(NL_CFLAGS) -MMD -MP -MF $(@:.o=.d) -c $< -o $@

$(UBIN)/fuzz_ike: $(call objs,fuzz,$(FUZZ_SRCS)) $(LIBF_normal) $(LIB_normal)
	@mkdir -p $(@D)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(CRYPTO_LIBS) $(NL_LIBS)

# make user-fuzz: the fuzzer for FUZZ_SECONDS (default 60) on a copy of
# the seed corpus; any crash, leak or sanitizer report fails it.
FUZZ_SECONDS ?= 60
user-fuzz: $(UBIN)/fuzz_ike
	@bash user/tests/run-fuzz.sh "$(UBIN)/fuzz_ike" user/tests/fuzz-corpus/ike "$(FUZZ_SECONDS)"

$(UBIN)/ike_keymat: $(call objs,asan,user/tests/ike_keymat.c $(IKE_KEYMAT_SRCS) user/lib/hexbytes.c)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(CRYPTO_LIBS)

user: $(UBIN)/keccak_vec $(UBIN)/keccak_bench $(UBIN)/polydiff

# FrodoKEM (kernel/frodo/, Documentation/frodokem.rst): the portable core,
# shared with the kernel like kernel/mlkem, in the same flavours as
# libfrodo*.a. It uses the ML-KEM core's Keccak, platform.h and
# mlkem_randombytes(): link libfrodo*.a before libmlkem*.a.
#   frodo_vectors  the known answers of $(VECTORS)/frodokem (ASan+UBSan)
#   frodo_ct       the valgrind constant-time check (make user-ct)
#   frodo_bench    keygen/encaps/decaps timings (make bench)
FRODO_DIR  := kernel/frodo
FRODO_SRCS := $(wildcard $(FRODO_DIR)/*.c)
# Its x86-64 backends, by folder as for ML-KEM: x86_64/ without vector
# flags, x86_64/avx2/ with ML-KEM's AVX2 flags plus AES-NI, x86_64/avx512/
# with ML-KEM's AVX-512 flags plus AES-NI and VAES.
ifeq ($(shell $(USER_CC) -dumpmachine | grep -c '^x86_64'),1)
FRODO_AVX2_SRCS := $(wildcard $(FRODO_DIR)/x86_64/avx2/*.c)
FRODO_AVX512_SRCS := $(wildcard $(FRODO_DIR)/x86_64/avx512/*.c)
FRODO_SRCS += $(wildcard $(FRODO_DIR)/x86_64/*.c) $(FRODO_AVX2_SRCS) \
	      $(FRODO_AVX512_SRCS)
endif
FRODO_AVX2_FLAGS := $(MLKEM_AVX2_FLAGS) -maes
FRODO_AVX512_FLAGS := $(MLKEM_AVX512_FLAGS) -maes -mvaes
$(foreach f,normal kflags asan ct ctk,$(call objs,$(f),$(FRODO_AVX2_SRCS))): \
	UXCFLAGS = $(FRODO_AVX2_FLAGS)
$(foreach f,normal kflags asan ct ctk,$(call objs,$(f),$(FRODO_AVX512_SRCS))): \
	UXCFLAGS = $(FRODO_AVX512_FLAGS)
define frodo_lib_rule
$$(LIBF_$(1)): $(call objs,$(1),$(FRODO_SRCS))
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(foreach f,normal kflags asan ct ctk,$(eval $(call frodo_lib_rule,$(f))))
$(call objs,ct,$(FRODO_SRCS)) $(call objs,ctk,$(FRODO_SRCS)): | user-check-valgrind

FRODO_VEC_SRCS := user/tests/frodo_vectors.c user/tests/report.c user/tests/hex.c
$(call objs,asan,user/tests/frodo_vectors.c): UXCFLAGS = -I$(FRODO_DIR) $(JSONC_CFLAGS)
$(call objs,asan,user/tests/frodo_vectors.c): | user-check-jsonc
$(UBIN)/frodo_vectors: $(call objs,asan,$(FRODO_VEC_SRCS)) $(LIBF_asan) $(LIB_asan)
	@mkdir -p $(@D)
	$(USER_CC) $(USER_SAN) -o $@ $^ $(JSONC_LIBS)

user: $(LIBF_normal) $(LIBF_kflags) $(LIBF_asan) $(LIBF_ct) $(LIBF_ctk) \
      $(UBIN)/frodo_vectors
user-test: $(UBIN)/frodo_vectors

$(call objs,normal,user/bench/frodo_bench.c): UXCFLAGS = -I$(FRODO_DIR)
$(UBIN)/frodo_bench-normal: $(call objs,normal,user/bench/frodo_bench.c) $(LIBF_normal) $(LIB_normal)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

$(UBIN)/frodo_bench-kflags: $(call objs,normal,user/bench/frodo_bench.c) $(LIBF_kflags) $(LIB_kflags)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

user: $(UBIN)/frodo_bench-normal $(UBIN)/frodo_bench-kflags

# frodo_ct: the valgrind constant-time check of the FrodoKEM core, with
# the core built normally (ct) and with the kernel's flags (ctk).
$(call objs,ct,user/tests/frodo_ct.c): UXCFLAGS = -I$(FRODO_DIR)
$(call objs,ct,user/tests/frodo_ct.c): | user-check-valgrind
$(UBIN)/frodo_ct: $(call objs,ct,user/tests/frodo_ct.c) $(LIBF_ct) $(LIB_ct)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

$(UBIN)/frodo_ct-kflags: $(call objs,ct,user/tests/frodo_ct.c) $(LIBF_ctk) $(LIB_ctk)
	@mkdir -p $(@D)
	$(USER_CC) -o $@ $^

user: $(UBIN)/frodo_ct $(UBIN)/frodo_ct-kflags
user-ct: $(UBIN)/frodo_ct $(UBIN)/frodo_ct-kflags

# frodo_ct_msan: the MemorySanitizer constant-time check of the FrodoKEM
# core on every backend (the AVX-512 one valgrind cannot run), built like
# ct-msan (every object instrumented, the vector folders with their flags);
# run-ct.sh finds it next to ct-msan.
FRODO_MSAN_SRCS := $(FRODO_SRCS) $(MLKEM_SRCS) $(USER_LIB_SRCS) \
		   user/tests/frodo_ct_msan.c user/tests/ct-msan-child.c
$(call objs,msan,$(FRODO_AVX2_SRCS)): UXCFLAGS = $(FRODO_AVX2_FLAGS)
$(call objs,msan,$(FRODO_AVX512_SRCS)): UXCFLAGS = $(FRODO_AVX512_FLAGS)
$(call objs,msan,user/tests/frodo_ct_msan.c): UXCFLAGS = -I$(FRODO_DIR)
$(UBIN)/frodo_ct_msan: $(call objs,msan,$(FRODO_MSAN_SRCS))
	@mkdir -p $(@D)
	$(MSAN_CC) -fsanitize=memory -o $@ $^
user-ct: $(UBIN)/frodo_ct_msan
