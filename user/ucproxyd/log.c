// SPDX-License-Identifier: GPL-2.0
/*
 * Logging: one line per event on stderr, which systemd puts in the
 * journal; the "<N>" prefix (sd-daemon(3)) gives the journal its priority.
 * Nothing secret is ever passed here: no keys, no key log lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "ucproxyd.h"

int ucpd_log_level = UCPD_INFO;

void ucpd_log(enum ucpd_level level, const char *fmt, ...)
{
	/* sd-daemon priorities: err 3, warning 4, info 6, debug 7 */
	static const int prio[] = { 3, 4, 6, 7 };
	char line[2048];
	va_list ap;

	if ((int)level > ucpd_log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One event, one line, whatever the message held. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	fprintf(stderr, "<%d>ucproxyd: %s\n", prio[level], line);
}

const char *ucpd_ssl_err(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (!e)
		snprintf(buf, len, "unknown TLS error");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}
