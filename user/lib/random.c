// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * mlkem_randombytes() for userspace: getrandom(2), which blocks until the
 * kernel's pool is initialised. There is no sane way to continue without
 * randomness, so a failure aborts the process with a message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "platform.h"

void mlkem_randombytes(u8 *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = getrandom(buf, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "mlkem_randombytes: getrandom: %s\n",
				strerror(errno));
			abort();
		}
		buf += n;
		len -= (size_t)n;
	}
}
