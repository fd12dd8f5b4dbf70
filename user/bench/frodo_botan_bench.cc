// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Botan 3's FrodoKEM timed like user/bench/frodo_bench.c (same output), so
 * that tools/bench shows both in one run. Built and run in the Debian 13
 * root by user/tests/frodo-botan.sh bench (trixie's libbotan-3-dev 3.7,
 * with whatever AES-NI/AVX2 code Debian's build enables at run time).
 *
 *   frodo_botan_bench [-n SAMPLES] [SET ...]   SET: 976aes ... 1344shake
 * keygen: FrodoKEM_PrivateKey(rng, mode); encaps: PK_KEM_Encryptor
 * ("Raw") encrypt; decaps: PK_KEM_Decryptor ("Raw") decrypt. Output:
 * SET OP MEDIAN_NS P10_NS SAMPLES, plus "# cpu N" when pinned.
 */
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <botan/frodokem.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>

#include "bench_util.h"

namespace {

template <typename F>
void timeit(const char *set, const char *op, unsigned int n, F fn)
{
	std::vector<unsigned long long> t(n);

	for (unsigned int i = 0; i < 2; i++)
		fn();
	for (unsigned int i = 0; i < n; i++) {
		auto t0 = std::chrono::steady_clock::now();
		fn();
		auto t1 = std::chrono::steady_clock::now();
		t[i] = (unsigned long long)std::chrono::duration_cast<
			std::chrono::nanoseconds>(t1 - t0).count();
	}
	std::sort(t.begin(), t.end());
	std::printf("%s %s %llu %llu %u\n", set, op, t[n / 2], t[n / 10], n);
	std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
	const struct {
		const char *arg;
		Botan::FrodoKEMMode::Mode mode;
	} sets[] = {
		{ "976aes", Botan::FrodoKEMMode::FrodoKEM976_AES },
		{ "976shake", Botan::FrodoKEMMode::FrodoKEM976_SHAKE },
		{ "1344aes", Botan::FrodoKEMMode::FrodoKEM1344_AES },
		{ "1344shake", Botan::FrodoKEMMode::FrodoKEM1344_SHAKE },
	};
	unsigned int n = 100;
	int opt, cpu;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			std::fprintf(stderr, "usage: %s [-n SAMPLES] [SET ...]\n", argv[0]);
			return 2;
		}
		n = (unsigned int)std::strtoul(optarg, nullptr, 0);
	}
	if (n < 10)
		n = 10;
	cpu = bench_pin_cpu();
	if (cpu >= 0)
		std::printf("# cpu %d\n", cpu);
	Botan::System_RNG rng;
	for (const auto &s : sets) {
		bool want = optind >= argc;

		for (int i = optind; i < argc; i++)
			want |= !std::strcmp(argv[i], s.arg);
		if (!want)
			continue;
		Botan::FrodoKEMMode mode(s.mode);
		Botan::FrodoKEM_PrivateKey sk(rng, mode);
		auto pk = sk.public_key();
		Botan::PK_KEM_Encryptor enc(*pk, "Raw");
		Botan::PK_KEM_Decryptor dec(sk, rng, "Raw");
		auto ct = enc.encrypt(rng).encapsulated_shared_key();

		timeit(s.arg, "keygen", n, [&] {
			Botan::FrodoKEM_PrivateKey k(rng, mode);
		});
		timeit(s.arg, "encaps", n, [&] { (void)enc.encrypt(rng); });
		timeit(s.arg, "decaps", n, [&] { (void)dec.decrypt(ct); });
	}
	return 0;
}
