// SPDX-License-Identifier: GPL-2.0
/*
 * `ucproxyd ctl write` and `ucproxyd ctl show`: the phone proxy's CTL
 * file, offline.
 *
 * write: the [ctl] section of the configuration names the SAST that
 * signs and the proxy's certificate, trusted in the CCM+TFTP role; an
 * imported CTL, once its signature verifies, adds its records. The file
 * is checked by parsing and verifying it again before it replaces the
 * output. show: every field of a file, and whether its signature
 * verifies. Errors are one line on stderr and a non-zero exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <linux/ucproxy.h>

#include "ucproxyd.h"
#include "ctl_cert.h"
#include "ctl_sign.h"
#include "ctl_tlv.h"

/* A header and every record at their 16-bit maximum. */
#define CTL_FILE_MAX	((size_t)(UCPD_CTL_MAX_RECORDS + 1) * 65536)

static int say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int say(const char *fmt, ...)
{
	va_list ap;

	fputs("ucproxyd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	size_t cap = CTL_FILE_MAX + 1, n = 0, r;
	uint8_t *b;
	FILE *fp;

	fp = fopen(path, "rb");
	if (!fp)
		return say("%s: %s", path, strerror(errno));
	b = malloc(cap);
	if (!b) {
		fclose(fp);
		return say("%s: out of memory", path);
	}
	while ((r = fread(b + n, 1, cap - n, fp)) > 0)
		n += r;
	if (ferror(fp) || n > CTL_FILE_MAX) {
		say("%s: %s", path, ferror(fp) ? "read error" :
		    "larger than a CTL file can be");
		fclose(fp);
		free(b);
		return 1;
	}
	fclose(fp);
	*out = b;
	*len = n;
	return 0;
}

/* Parse and verify; one line naming @path when either fails. */
static int check_file(const char *path, const uint8_t *b, size_t len,
		      struct ucpd_ctl *ctl)
{
	enum ucpd_ctl_err e = ucpd_ctl_parse(b, len, ctl);
	char err[UCPD_ERR_MAX];

	if (e)
		return say("%s: not a CTL file: %s", path, ucpd_ctl_strerror(e));
	if (ucpd_ctl_verify(b, len, ctl, err, sizeof(err)))
		return say("%s: %s", path, err);
	return 0;
}

static bool same(const struct ucpd_ctl_bytes *a, const struct ucpd_ctl_bytes *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->p, b->p, a->len));
}

/* The printable bytes of a string, the others as \xNN. */
static void put_str(const struct ucpd_ctl_bytes *v)
{
	size_t i;

	for (i = 0; i < v->len; i++) {
		uint8_t c = v->p[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void put_hex(const struct ucpd_ctl_bytes *v)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		printf("%02x", v->p[i]);
}

/* "label: value" when the field is present, as a string or in hex. */
static void field(const char *label, const struct ucpd_ctl_bytes *v, bool hex)
{
	if (!v->p)
		return;
	printf("%s: ", label);
	if (hex)
		put_hex(v);
	else
		put_str(v);
	printf("\n");
}

struct job {
	const char *out;
	struct ucpd_config cfg;
	struct ucpd_ctl_cert sast, ccm;
	EVP_PKEY *key;
	uint8_t *import;
	size_t import_len;
	struct ucpd_ctl imported;
	struct ucpd_ctl ctl;
	uint8_t *file;
	size_t len;
};

static int load_key(struct job *j)
{
	const char *path = j->cfg.ctl->sast_key;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return say("sast-key %s: %s", path, strerror(errno));
	j->key = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	ERR_clear_error();
	if (!j->key)
		return say("sast-key %s: no PEM private key (without passphrase)",
			   path);
	if (ucpd_ctl_modulus(j->key) < 0)
		return say("sast-key %s: not an RSA key of 512, 1024, 2048 or 4096 bits",
			   path);
	if (X509_check_private_key(j->sast.x509, j->key) != 1) {
		ERR_clear_error();
		return say("sast-key %s: not the key of sast-certificate %s",
			   path, j->cfg.ctl->sast_certificate);
	}
	return 0;
}

/* The CCM+TFTP certificate: [ctl] certificate, or the proxy's own. */
static const char *ccm_certificate(const struct ucpd_config *cfg)
{
	unsigned int i;

	if (cfg->ctl->certificate)
		return cfg->ctl->certificate;
	for (i = 0; i < cfg->n_listeners; i++)
		if (cfg->listeners[i].app == UCP_APP_PHONE_PROXY &&
		    cfg->listeners[i].certificate)
			return cfg->listeners[i].certificate;
	return NULL;
}

/* The imported records after ours, but never a third SAST. */
static int add_imported(struct job *j)
{
	const char *path = j->cfg.ctl->import;
	unsigned int i, k, sast = 1;

	if (read_all(path, &j->import, &j->import_len) ||
	    check_file(path, j->import, j->import_len, &j->imported))
		return 1;
	for (i = 0; i < j->imported.n_rec; i++) {
		const struct ucpd_ctl_record *r = &j->imported.rec[i];
		bool dup = false;

		for (k = 0; k < 2; k++)
			dup |= r->function == j->ctl.rec[k].function &&
			       same(&r->serial, &j->ctl.rec[k].serial) &&
			       same(&r->issuer, &j->ctl.rec[k].issuer);
		if (dup)
			continue;
		if (r->function == UCPD_CTL_F_SAST && ++sast > UCPD_CTL_MAX_SAST) {
			printf("import %s: record %u (SAST) left out: two SAST records at most\n",
			       path, i + 1);
			continue;
		}
		if (j->ctl.n_rec == UCPD_CTL_MAX_RECORDS)
			return say("import %s: more than %d records with ours",
				   path, UCPD_CTL_MAX_RECORDS);
		j->ctl.rec[j->ctl.n_rec++] = *r;
	}
	return 0;
}

static uint32_t time_stamp(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v;
	char *end;

	/* Reproducible files, when the build environment asks for them. */
	if (s && *s) {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (!*end && !errno && v <= UINT32_MAX)
			return (uint32_t)v;
	}
	return (uint32_t)time(NULL);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int build(struct job *j)
{
	struct ucpd_ctl_cfg *c = j->cfg.ctl;
	struct ucpd_ctl_header *h = &j->ctl.hdr;
	const char *name = c->file_name ? c->file_name : base_name(j->out);
	char err[UCPD_ERR_MAX];
	struct ucpd_ctl check;
	int ret;

	h->version[0] = 1;
	h->version[1] = 2;
	h->has_signer_version = true;
	h->signer_version[0] = 1;
	h->signer_version[1] = 0;
	ucpd_ctl_cert_signer(&j->sast, h);
	h->digest = c->digest;
	h->sig_alg = 0;
	h->modulus = (uint8_t)ucpd_ctl_modulus(j->key);
	h->signature.p = NULL;
	h->signature.len = (size_t)EVP_PKEY_get_size(j->key);
	h->file_name.p = (const uint8_t *)name;
	h->file_name.len = strlen(name);
	h->has_timestamp = true;
	h->timestamp = time_stamp();
	ucpd_ctl_cert_record(&j->sast, UCPD_CTL_F_SAST, &j->ctl.rec[0]);
	ucpd_ctl_cert_record(&j->ccm, UCPD_CTL_F_CCM_TFTP, &j->ctl.rec[1]);
	if (c->has_address) {
		j->ctl.rec[1].ip_address.p = (const uint8_t *)&c->address;
		j->ctl.rec[1].ip_address.len = 4;
	}
	j->ctl.n_rec = 2;
	if (c->import && add_imported(j))
		return 1;
	ret = ucpd_ctl_write(&j->ctl, NULL, 0, &j->len);
	if (ret != -ENOSPC && ret != 0)
		return say("%s: a name, certificate or the header is longer than 65535 bytes",
			   j->out);
	j->file = malloc(j->len);
	if (!j->file)
		return say("%s: out of memory", j->out);
	if (ucpd_ctl_write(&j->ctl, j->file, j->len, &j->len))
		return say("%s: layout failed", j->out);
	if (ucpd_ctl_sign(j->file, j->len, &j->ctl, j->key, err, sizeof(err)))
		return say("%s: %s", j->out, err);
	/* What phones will read: the project's own parser and verifier. */
	return check_file(j->out, j->file, j->len, &check);
}

/* Replaces @path whole or not at all. */
static int write_out(const char *path, const uint8_t *b, size_t len)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	ssize_t w = -1;
	int fd;

	if (!tmp)
		return say("%s: out of memory", path);
	snprintf(tmp, n, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		say("%s: %s", path, strerror(errno));
		free(tmp);
		return 1;
	}
	if (fchmod(fd, 0644) == 0)
		w = write(fd, b, len);
	if (w != (ssize_t)len || fsync(fd) || close(fd) || rename(tmp, path)) {
		say("%s: %s", path, w < 0 || errno ? strerror(errno) : "short write");
		unlink(tmp);
		free(tmp);
		return 1;
	}
	free(tmp);
	return 0;
}

/**
 * ucpd_ctl_make() - the signed CTL file of a configuration's [ctl] section
 * @conf: the configuration file
 * @name: the file's name (in its header when [ctl] file-name is not set,
 *	and in error lines)
 * @out: the file, malloc()ed, on success
 * @len: its length
 * @n_rec: its number of records
 * @signer: "SUBJECT (DIGEST)" of the SAST that signed it, on success
 * @signer_len: size of @signer
 *
 * The one writer path of `ucproxyd ctl write` and of the TFTP proxy's
 * CTLFile.tlv: loads the certificates and the SAST key, lays the file out,
 * signs it and checks it with the parser and verifier phones rely on.
 *
 * Return: 0, or 1 with one line on stderr.
 */
int ucpd_ctl_make(const char *conf, const char *name, uint8_t **out,
		  size_t *len, unsigned int *n_rec, char *signer,
		  size_t signer_len)
{
	char err[UCPD_ERR_MAX];
	const char *ccm;
	struct job *j;
	int ret = 1;

	j = calloc(1, sizeof(*j));
	if (!j)
		return say("out of memory");
	j->out = name;
	if (ucpd_config_load(conf, &j->cfg, err, sizeof(err))) {
		say("%s", err);
		goto out;
	}
	if (!j->cfg.ctl) {
		say("%s: no [ctl] section", conf);
		goto out;
	}
	ccm = ccm_certificate(&j->cfg);
	if (!ccm) {
		say("%s: [ctl] needs certificate (no phone-proxy listener has one)",
		    conf);
		goto out;
	}
	if (ucpd_ctl_cert_load(&j->sast, j->cfg.ctl->sast_certificate, err,
			       sizeof(err)) ||
	    ucpd_ctl_cert_load(&j->ccm, ccm, err, sizeof(err))) {
		say("%s", err);
		goto out;
	}
	if (load_key(j) || build(j))
		goto out;
	*out = j->file;
	*len = j->len;
	*n_rec = j->ctl.n_rec;
	snprintf(signer, signer_len, "%s (%s)", j->sast.subject,
		 ucpd_ctl_digest_name(j->ctl.hdr.digest));
	j->file = NULL;
	ret = 0;
out:
	EVP_PKEY_free(j->key);
	ucpd_ctl_cert_free(&j->sast);
	ucpd_ctl_cert_free(&j->ccm);
	ucpd_config_free(&j->cfg);
	free(j->import);
	free(j->file);
	free(j);
	return ret;
}

static int ctl_write(const char *conf, const char *out)
{
	char signer[512];
	unsigned int n_rec;
	uint8_t *file;
	size_t len;
	int ret;

	if (ucpd_ctl_make(conf, out, &file, &len, &n_rec, signer,
			  sizeof(signer)))
		return 1;
	ret = write_out(out, file, len);
	if (!ret)
		printf("%s: %u records, %zu bytes, signed by %s\n", out, n_rec,
		       len, signer);
	free(file);
	return ret;
}

static void show_record(unsigned int i, const struct ucpd_ctl_record *r,
			uint8_t digest)
{
	const char *f = ucpd_ctl_function_name(r->function);
	const EVP_MD *md = ucpd_ctl_md(digest);
	unsigned char fp[EVP_MAX_MD_SIZE];
	unsigned int fplen = 0, k;
	char ip[INET6_ADDRSTRLEN];

	printf("record %u: %s", i + 1, f ? f : "function");
	if (!f)
		printf(" %u", r->function);
	printf("\n");
	field("  subject", &r->subject, false);
	field("  issuer", &r->issuer, false);
	field("  serial", &r->serial, true);
	field("  dns name", &r->dns_name, false);
	if (r->public_key.p)
		printf("  public key: %zu bytes\n", r->public_key.len);
	if (r->signature.p)
		printf("  certificate signature: %zu bytes\n", r->signature.len);
	if (r->certificate.p) {
		printf("  certificate: %zu bytes", r->certificate.len);
		if (md && EVP_Digest(r->certificate.p, r->certificate.len, fp,
				     &fplen, md, NULL) == 1) {
			printf(", %s ", ucpd_ctl_digest_name(digest));
			for (k = 0; k < fplen; k++)
				printf("%02x", fp[k]);
		}
		printf("\n");
	}
	if (r->ip_address.p) {
		printf("  ip address: ");
		if (r->ip_address.len == 4 &&
		    inet_ntop(AF_INET, r->ip_address.p, ip, sizeof(ip)))
			printf("%s", ip);
		else if (r->ip_address.len == 16 &&
			 inet_ntop(AF_INET6, r->ip_address.p, ip, sizeof(ip)))
			printf("%s", ip);
		else
			put_hex(&r->ip_address);
		printf("\n");
	}
	field("  certificate hash", &r->cert_hash, true);
	if (r->has_hash_alg)
		printf("  hash algorithm: %u\n", r->hash_alg);
}

static int ctl_show(const char *path)
{
	char err[UCPD_ERR_MAX], when[32];
	struct ucpd_ctl *ctl;
	enum ucpd_ctl_err e;
	uint8_t *b = NULL;
	unsigned int i;
	size_t len;
	time_t t;
	int ret = 1;

	ctl = malloc(sizeof(*ctl));
	if (!ctl)
		return say("out of memory");
	if (read_all(path, &b, &len))
		goto out;
	e = ucpd_ctl_parse(b, len, ctl);
	if (e) {
		say("%s: not a CTL file: %s", path, ucpd_ctl_strerror(e));
		goto out;
	}
	printf("version: %u.%u\n", ctl->hdr.version[0], ctl->hdr.version[1]);
	printf("header length: %u\n", ctl->hdr.length);
	if (ctl->hdr.has_signer_version)
		printf("signer version: %u.%u\n", ctl->hdr.signer_version[0],
		       ctl->hdr.signer_version[1]);
	field("signer", &ctl->hdr.signer_name, false);
	field("signer serial", &ctl->hdr.serial, true);
	field("signer issuer", &ctl->hdr.ca_name, false);
	printf("digest: %s\n", ucpd_ctl_digest_name(ctl->hdr.digest));
	printf("signature algorithm: %u\n", ctl->hdr.sig_alg);
	printf("signature: %zu bytes (modulus code %u)\n",
	       ctl->hdr.signature.len, ctl->hdr.modulus);
	field("file name", &ctl->hdr.file_name, false);
	if (ctl->hdr.has_timestamp) {
		struct tm tm;

		t = (time_t)ctl->hdr.timestamp;
		if (gmtime_r(&t, &tm) &&
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
			printf("time stamp: %s\n", when);
	}
	for (i = 0; i < ctl->n_rec; i++)
		show_record(i, &ctl->rec[i], ctl->hdr.digest);
	if (ucpd_ctl_verify(b, len, ctl, err, sizeof(err))) {
		printf("signature: does not verify\n");
		say("%s: %s", path, err);
		goto out;
	}
	printf("signature: verifies against record %u (SAST)\n", ctl->signer + 1);
	ret = 0;
out:
	free(b);
	free(ctl);
	return ret;
}

static void ctl_usage(FILE *fp)
{
	fprintf(fp,
		"usage: ucproxyd ctl write [-c FILE] -o OUT\n"
		"       ucproxyd ctl show FILE\n"
		"  write  the CTL file of [ctl] in the configuration (default "
		UCPD_DEFAULT_CONFIG "), signed, to OUT\n"
		"  show   every field of a CTL or ITL file and whether it verifies\n");
}

int ucpd_ctl_main(int argc, char **argv)
{
	const char *conf = UCPD_DEFAULT_CONFIG, *out = NULL;
	int opt;

	if (argc < 2) {
		ctl_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		ctl_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "show")) {
		if (argc != 3) {
			ctl_usage(stderr);
			return 2;
		}
		return ctl_show(argv[2]);
	}
	if (strcmp(argv[1], "write")) {
		say("ctl: unknown command \"%s\": write or show", argv[1]);
		return 2;
	}
	optind = 1;
	while ((opt = getopt(argc - 1, argv + 1, "c:o:")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			ctl_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !out) {
		if (!out && optind == argc - 1)
			say("ctl write: -o OUT is required");
		ctl_usage(stderr);
		return 2;
	}
	return ctl_write(conf, out);
}
