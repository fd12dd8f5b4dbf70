/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Interfaces between the parts of pqrekey.ko.
 */
#ifndef _PQREKEY_H
#define _PQREKEY_H

int pqrekey_selftest(void);
int pqrekey_kpp_register(void);
void pqrekey_kpp_unregister(void);

#endif /* _PQREKEY_H */
