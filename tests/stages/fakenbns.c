#include "fakenbns.h"

#include <arpa/inet.h>
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LOGGED 64
#define QUERY_LEN 50 /* header 12, encoded name 34, type and class 4 */
#define NAME_AT 12
#define ENCODED_LEN 34

struct fake_nbns {
	int fd;
	unsigned port;
	const struct fake_nb_script *script;
	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock;
	unsigned n_logged; /* guarded by lock */
	unsigned char logged[MAX_LOGGED][16];
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* RFC 1001 §14.1: each half-byte of the 16-byte name is a letter 'A'+n. */
static bool decode_name(const unsigned char *enc, unsigned char name[16])
{
	if (enc[0] != 32 || enc[33] != 0)
		return false;
	for (int i = 0; i < 16; i++) {
		unsigned hi = enc[1 + 2 * i] - 'A', lo = enc[2 + 2 * i] - 'A';
		if (hi > 15 || lo > 15)
			return false;
		name[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

unsigned fake_nbns_count(struct fake_nbns *nbns, const char *name, unsigned char suffix)
{
	unsigned char want[16];
	unsigned n = 0;

	memset(want, ' ', 15);
	if (name != NULL)
		memcpy(want, name, strlen(name) < 15 ? strlen(name) : 15);
	want[15] = suffix;
	pthread_mutex_lock(&nbns->lock);
	for (unsigned i = 0; i < nbns->n_logged; i++)
		if (name == NULL || memcmp(nbns->logged[i], want, 16) == 0)
			n++;
	pthread_mutex_unlock(&nbns->lock);
	return n;
}

/* A reply to REQ with ID: header, the question's name, one record. */
static size_t reply(const unsigned char *req, unsigned id, unsigned flags, unsigned type,
		    uint32_t ttl, const char *const *addrs, unsigned char *out)
{
	size_t n = NAME_AT + ENCODED_LEN, rdlen_at;

	memset(out, 0, NAME_AT);
	put16(out, id);
	put16(out + 2, flags);
	put16(out + 6, 1); /* ANCOUNT */
	memcpy(out + NAME_AT, req + NAME_AT, ENCODED_LEN);
	put16(out + n, type);
	put16(out + n + 2, 1); /* IN */
	put32(out + n + 4, ttl);
	rdlen_at = n + 8;
	n += 10;
	for (unsigned i = 0; addrs != NULL && addrs[i] != NULL; i++) {
		put16(out + n, 0x6000); /* NB_FLAGS: unique, H node */
		ck_assert_int_eq(inet_pton(AF_INET, addrs[i], out + n + 2), 1);
		n += 6;
	}
	put16(out + rdlen_at, (unsigned)(n - rdlen_at - 2));
	return n;
}

static void answer(struct fake_nbns *nbns, const unsigned char *req, const struct sockaddr *to,
		   socklen_t tolen)
{
	const struct fake_nb_script *s = nbns->script;
	unsigned id = (unsigned)req[0] << 8 | req[1];
	unsigned rd = req[2] & 0x01 ? 0x0100 : 0;
	unsigned char out[128];
	size_t n;

	if (s->wrong_id_addr != NULL) {
		const char *wrong[] = { s->wrong_id_addr, NULL };
		n = reply(req, id ^ 0x5a5a, 0x8480 | rd, 0x0020, s->ttl, wrong, out);
		sendto(nbns->fd, out, n, 0, to, tolen);
	}
	switch (s->kind) {
	case FAKE_NB_POSITIVE: /* R, QUERY, AA, RA, RCODE 0; NB record */
		n = reply(req, id, 0x8480 | rd, 0x0020, s->ttl, s->addrs, out);
		break;
	case FAKE_NB_NEGATIVE: /* RCODE 3 (NAM_ERR); NULL record, TTL 0 */
		n = reply(req, id, 0x8483 | rd, 0x000a, 0, NULL, out);
		break;
	default:
		return;
	}
	sendto(nbns->fd, out, n, 0, to, tolen);
}

static void serve_one(struct fake_nbns *nbns)
{
	unsigned char req[600], name[16];
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	ssize_t n = recvfrom(nbns->fd, req, sizeof(req), 0, (struct sockaddr *)&from, &fromlen);

	if (n != QUERY_LEN || !decode_name(req + NAME_AT, name))
		return;
	pthread_mutex_lock(&nbns->lock);
	if (nbns->n_logged < MAX_LOGGED)
		memcpy(nbns->logged[nbns->n_logged++], name, 16);
	pthread_mutex_unlock(&nbns->lock);
	answer(nbns, req, (struct sockaddr *)&from, fromlen);
}

static void *serve(void *arg)
{
	struct fake_nbns *nbns = arg;

	while (!atomic_load(&nbns->stop)) {
		struct pollfd p = { .fd = nbns->fd, .events = POLLIN };
		if (poll(&p, 1, 50) > 0)
			serve_one(nbns);
	}
	return NULL;
}

struct fake_nbns *fake_nbns_start(const struct fake_nb_script *script)
{
	struct fake_nbns *nbns = calloc(1, sizeof(*nbns));
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);

	ck_assert_ptr_nonnull(nbns);
	nbns->script = script;
	pthread_mutex_init(&nbns->lock, NULL);
	nbns->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(nbns->fd, 0);
	ck_assert_int_eq(bind(nbns->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(nbns->fd, (struct sockaddr *)&sin, &len), 0);
	nbns->port = ntohs(sin.sin_port);
	ck_assert_int_eq(pthread_create(&nbns->thread, NULL, serve, nbns), 0);
	return nbns;
}

unsigned fake_nbns_port(const struct fake_nbns *nbns)
{
	return nbns->port;
}

void fake_nbns_stop(struct fake_nbns *nbns)
{
	atomic_store(&nbns->stop, true);
	pthread_join(nbns->thread, NULL);
	close(nbns->fd);
	pthread_mutex_destroy(&nbns->lock);
	free(nbns);
}
