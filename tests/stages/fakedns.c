#include "fakedns.h"

#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <resolv.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LOGGED 256

struct fake_dns {
	int fd;
	unsigned port;
	fake_dns_answer *answer;
	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock;
	unsigned n_logged; /* guarded by lock */
	struct {
		char name[NS_MAXDNAME];
		int type;
	} logged[MAX_LOGGED];
};

bool fake_asks(const struct fake_query *q, const char *name, int type)
{
	return q->qtype == type && strcasecmp(q->qname, name) == 0;
}

static void note(struct fake_dns *dns, const char *name, int type)
{
	pthread_mutex_lock(&dns->lock);
	if (dns->n_logged < MAX_LOGGED) {
		strcpy(dns->logged[dns->n_logged].name, name);
		dns->logged[dns->n_logged].type = type;
		dns->n_logged++;
	}
	pthread_mutex_unlock(&dns->lock);
}

unsigned fake_dns_count(struct fake_dns *dns, const char *name, int type)
{
	unsigned n = 0;

	pthread_mutex_lock(&dns->lock);
	for (unsigned i = 0; i < dns->n_logged; i++)
		if ((name == NULL || strcasecmp(dns->logged[i].name, name) == 0) &&
		    (type == ns_t_any || dns->logged[i].type == type))
			n++;
	pthread_mutex_unlock(&dns->lock);
	return n;
}

/* Reads the question of a query; false for anything else. */
static bool read_question(const unsigned char *pkt, int len, struct fake_query *q)
{
	ns_msg msg;
	ns_rr rr;

	if (ns_initparse(pkt, len, &msg) != 0 || ns_msg_count(msg, ns_s_qd) != 1 ||
	    ns_parserr(&msg, ns_s_qd, 0, &rr) != 0)
		return false;
	snprintf(q->qname, sizeof(q->qname), "%s", ns_rr_name(rr));
	q->qtype = ns_rr_type(rr);
	return true;
}

static void serve_one(struct fake_dns *dns, struct fake_query *q)
{
	unsigned char pkt[512];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	ssize_t n = recvfrom(dns->fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&from, &fromlen);

	if (n < 12 || !read_question(pkt, (int)n, q))
		return;
	note(dns, q->qname, q->qtype);
	db_start(&q->reply, q->qname, q->qtype);
	q->rcode = ns_r_noerror;
	q->drop = false;
	dns->answer(q);
	if (q->drop)
		return;
	memcpy(q->reply.buf, pkt, 2); /* the query's ID */
	q->reply.buf[2] = (unsigned char)(0x80 | (pkt[2] & 0x01)); /* QR, RD as asked */
	q->reply.buf[3] = (unsigned char)(0x80 | (q->rcode & 0x0f)); /* RA, RCODE */
	sendto(dns->fd, q->reply.buf, q->reply.len, 0, (struct sockaddr *)&from, fromlen);
}

static void *serve(void *arg)
{
	struct fake_dns *dns = arg;
	struct fake_query *q = malloc(sizeof(*q));

	ck_assert_ptr_nonnull(q);
	while (!atomic_load(&dns->stop)) {
		struct pollfd p = { .fd = dns->fd, .events = POLLIN };
		if (poll(&p, 1, 50) > 0)
			serve_one(dns, q);
	}
	free(q);
	return NULL;
}

struct fake_dns *fake_dns_start(fake_dns_answer *answer)
{
	struct fake_dns *dns = calloc(1, sizeof(*dns));
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);

	ck_assert_ptr_nonnull(dns);
	dns->answer = answer;
	pthread_mutex_init(&dns->lock, NULL);
	dns->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(dns->fd, 0);
	ck_assert_int_eq(bind(dns->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(dns->fd, (struct sockaddr *)&sin, &len), 0);
	dns->port = ntohs(sin.sin_port);
	ck_assert_int_eq(pthread_create(&dns->thread, NULL, serve, dns), 0);
	return dns;
}

unsigned fake_dns_port(const struct fake_dns *dns)
{
	return dns->port;
}

void fake_dns_stop(struct fake_dns *dns)
{
	atomic_store(&dns->stop, true);
	pthread_join(dns->thread, NULL);
	close(dns->fd);
	pthread_mutex_destroy(&dns->lock);
	free(dns);
}
