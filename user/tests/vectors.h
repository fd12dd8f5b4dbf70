/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Shared pieces of the vector test runner (user/tests/vectors.c) and its
 * per-source parts (wycheproof.c, acvp.c, cctv.c).
 */
#ifndef PQREKEY_TEST_VECTORS_H
#define PQREKEY_TEST_VECTORS_H

#include <stdbool.h>
#include <json.h>

#include "mlkem.h"
#include "hex.h"
#include "report.h"

/* Fill byte of output buffers, to see whether a failing call wrote them. */
#define SENTINEL 0xa5

const struct mlkem_params *params_by_name(const char *name);

/* Reads the hex string member @key of @o into @b; absent -> !b->present. */
bool json_blob(struct group *g, const char *id, json_object *o,
	       const char *key, struct blob *b);
const char *json_str(json_object *o, const char *key);
/* json-c object from a file, or NULL after a group_error(). */
json_object *json_load(struct group *g, const char *path);

/* Compares @got with the expected @exp; a case_fail() names @what. */
bool expect_bytes(struct group *g, const char *id, const char *what,
		  const u8 *got, size_t got_len, const struct blob *exp);
bool all_sentinel(const u8 *p, size_t n);

void run_wycheproof(struct group *g, const char *path,
		    const struct mlkem_params *p, struct mlkem_ws *ws);
void run_acvp(struct group *g, const char *path, struct mlkem_ws *ws);
void run_cctv_modulus(struct group *g, const char *path,
		      const struct mlkem_params *p, struct mlkem_ws *ws);
void run_cctv_strcmp(struct group *g, const char *path,
		     const struct mlkem_params *p, struct mlkem_ws *ws);
void run_cctv_unlucky(struct group *g, const char *path,
		      const struct mlkem_params *p, struct mlkem_ws *ws);

#endif
