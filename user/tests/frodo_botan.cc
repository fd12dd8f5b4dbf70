// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Differential test of the FrodoKEM core (kernel/frodo) against Botan 3's
 * FrodoKEM (the salted variant, FrodoKEMMode::FrodoKEM{976,1344}_{AES,SHAKE};
 * Debian 13's libbotan-3-dev 3.7). Built and run inside the trixie root by
 * user/tests/frodo-botan.sh. For each set and each of ROUNDS random coin
 * sets, with Botan fed the same coins through a fixed-output RNG:
 *   keygen   pk and sk byte-identical
 *   encaps   ct and ss byte-identical (Botan encapsulates to our pk)
 *   decaps   Botan decapsulates our ct with our sk, we decapsulate
 *            Botan's ct with Botan's sk: the same ss
 *   reject   a corrupted ciphertext (one c1, c2 or salt byte): both give
 *            the same implicit-rejection secret, not the real one
 * Each check prints "ok - ..." or "not ok - ..."; the last line is
 * "N passed, N failed, N skipped".
 */
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <botan/frodokem.h>
#include <botan/pubkey.h>
#include <botan/rng.h>
#include <botan/system_rng.h>

extern "C" {
#include "frodo.h"
}

namespace {

constexpr int ROUNDS = 3;
unsigned int n_pass, n_fail;

/* Returns exactly the bytes it was given, in order; throws when out. */
class FixedRNG final : public Botan::RandomNumberGenerator {
public:
	explicit FixedRNG(std::vector<uint8_t> bytes) : m_bytes(std::move(bytes)) {}
	bool accepts_input() const override { return false; }
	bool is_seeded() const override { return true; }
	void clear() override {}
	std::string name() const override { return "fixed"; }
	size_t left() const { return m_bytes.size() - m_pos; }

private:
	void fill_bytes_with_input(std::span<uint8_t> out,
				   std::span<const uint8_t>) override
	{
		if (out.size() > left())
			throw std::runtime_error("FixedRNG: out of bytes");
		std::memcpy(out.data(), m_bytes.data() + m_pos, out.size());
		m_pos += out.size();
	}
	std::vector<uint8_t> m_bytes;
	size_t m_pos = 0;
};

void check(bool ok, const std::string &what)
{
	std::printf("%s - frodo_botan %s\n", ok ? "ok" : "not ok", what.c_str());
	if (ok)
		n_pass++;
	else
		n_fail++;
}

template <typename A, typename B>
bool same(const A &a, const B &b, size_t n)
{
	return a.size() == n && b.size() >= n &&
	       std::memcmp(a.data(), b.data(), n) == 0;
}

struct Set {
	const struct frodo_params *p;
	Botan::FrodoKEMMode::Mode mode;
};

void run_round(const Set &s, int round, struct frodo_ws *ws)
{
	const struct frodo_params *p = s.p;
	std::string tag = std::string(p->name) + " round " + std::to_string(round);
	std::vector<uint8_t> kc(frodo_keygen_coins(p)), ec(frodo_encaps_coins(p));
	std::vector<uint8_t> pk(p->pk_len), sk(p->sk_len), ct(p->ct_len);
	std::vector<uint8_t> ss(p->ss_len), ss2(p->ss_len);
	Botan::FrodoKEMMode mode(s.mode);

	mlkem_randombytes(kc.data(), kc.size());
	mlkem_randombytes(ec.data(), ec.size());
	frodo_keygen_internal(p, pk.data(), sk.data(), kc.data(), ws);
	frodo_encaps_internal(p, ct.data(), ss.data(), pk.data(), ec.data(), ws);

	FixedRNG krng(kc);
	Botan::FrodoKEM_PrivateKey bsk(krng, mode);
	auto bpk_bits = bsk.public_key_bits();
	auto bsk_bits = bsk.private_key_bits();
	check(krng.left() == 0 && same(bpk_bits, pk, p->pk_len) &&
	      same(bsk_bits, sk, p->sk_len), tag + " keygen: pk, sk identical");

	Botan::FrodoKEM_PublicKey bpk(pk, mode);
	FixedRNG erng(ec);
	Botan::PK_KEM_Encryptor enc(bpk, "Raw");
	auto r = enc.encrypt(erng);
	const auto &bct = r.encapsulated_shared_key();
	const auto &bss = r.shared_key();
	check(erng.left() == 0 && same(bct, ct, p->ct_len) &&
	      same(bss, ss, p->ss_len), tag + " encaps: ct, ss identical");

	Botan::FrodoKEM_PrivateKey osk(sk, mode);
	Botan::System_RNG sys;
	Botan::PK_KEM_Decryptor dec(osk, sys, "Raw");
	auto dss = dec.decrypt(ct);
	std::vector<uint8_t> bctv(bct.begin(), bct.end());
	std::vector<uint8_t> bskv(bsk_bits.begin(), bsk_bits.end());
	frodo_decaps(p, ss2.data(), bctv.data(), bskv.data(), ws);
	check(same(dss, ss, p->ss_len) && same(bss, ss2, p->ss_len),
	      tag + " decaps: Botan on our ct, ours on Botan's ct");

	/* corrupt one byte of c1, c2 or the salt (by round) */
	size_t c1 = 2 * FRODO_NBAR * (size_t)p->n, c2 = 2 * FRODO_NBAR * FRODO_NBAR;
	size_t off = round % 3 == 0 ? c1 / 2 + 1 :
		     round % 3 == 1 ? c1 + c2 - 1 : p->ct_len - 1;
	ct[off] ^= 0x01;
	auto rss = dec.decrypt(ct);
	frodo_decaps(p, ss2.data(), ct.data(), sk.data(), ws);
	check(same(rss, ss2, p->ss_len) && !same(rss, ss, p->ss_len),
	      tag + " reject: same rejection secret (byte " +
	      std::to_string(off) + " flipped)");
}

} // namespace

int main()
{
	const Set sets[] = {
		{ &frodo976aes_params, Botan::FrodoKEMMode::FrodoKEM976_AES },
		{ &frodo976shake_params, Botan::FrodoKEMMode::FrodoKEM976_SHAKE },
		{ &frodo1344aes_params, Botan::FrodoKEMMode::FrodoKEM1344_AES },
		{ &frodo1344shake_params, Botan::FrodoKEMMode::FrodoKEM1344_SHAKE },
	};
	auto *ws = new struct frodo_ws;

	frodo_ws_set_impl(ws, &frodo_impl_generic);

	std::setvbuf(stdout, nullptr, _IOLBF, 0);
	for (const auto &s : sets)
		for (int round = 0; round < ROUNDS; round++) {
			try {
				run_round(s, round, ws);
			} catch (const std::exception &e) {
				check(false, std::string(s.p->name) + ": " + e.what());
			}
		}
	delete ws;
	std::printf("%u passed, %u failed, 0 skipped\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
