/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The harness the MemorySanitizer constant-time checks share (ct-msan.c
 * for ML-KEM, frodo_ct_msan.c for FrodoKEM; ct-msan-child.c): each case
 * runs in a child process, which MSan stops at its first report with exit
 * status CTM_MSAN_EXIT (this harness sets MSan's defaults to that), and
 * each result is one "ok - PROG ..." / "not ok - PROG ..." line, counted.
 */
#ifndef _PQREKEY_CT_MSAN_CHILD_H
#define _PQREKEY_CT_MSAN_CHILD_H

#include <stdbool.h>

#define CTM_MSAN_EXIT	77	/* exit status of a child MSan stopped */
#define CTM_WRONG_EXIT	3	/* a child whose results were wrong */

/* The program's name in result lines ("ct-msan"); set it in main(). */
extern const char *ctm_prog;
extern unsigned int ctm_n_ok, ctm_n_fail, ctm_n_skip;

/* Prints and counts one result; @extra (may be NULL) after a colon. */
void ctm_result(bool ok, const char *what, const char *extra);
/* Runs fn(arg) in a child; returns its exit status (-1: killed). */
int ctm_run_child(int (*fn)(const void *arg), const void *arg);
/* NULL for 0, else what a child's exit status means. */
const char *ctm_describe(int st);

#endif /* _PQREKEY_CT_MSAN_CHILD_H */
