/* A DNS server that misbehaves on purpose, for the hostile-server tests.
 * Listens on 127.0.0.1:PORT (UDP) and answers every query by the first
 * label of its name; the right address for NAME is 192.0.2.20x, a wrong one
 * is always 192.0.2.66.  Stops after 600 s or when killed.
 *
 *   dns_responder PORT [ADDR]     ADDR instead of 127.0.0.1 (then the
 *                                 wrongaddr mode answers from ADDR:PORT+1)
 *
 * good wrongid wrongaddr wrongport othername ptrloop ptroob longname
 * countlie truncated cnameloop chain20 many slow silent servfail refused
 * badmx (MX reply with a 2-byte MX record; the domain's own A is the wrong
 * address) badglue (MX 10 mx.badglue... with an AAAA glue record of 4 bytes
 * and a good A glue record, 192.0.2.205; the domain's own A is wrong)
 * mxsilentN (N = 1..99): the MX query gets N exchangers of preference 10,
 * silent.xI.hostile.test, whose queries are never answered; an A query
 * gets the wrong address (the domain's own must never be used then).
 * Only A queries get addresses; other types get an empty NOERROR answer
 * (or the same misbehaviour, where the mode is about the packet itself).
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WRONG "192.0.2.66"

struct reply {
	unsigned char p[20000];
	size_t n;
};

static void put16(struct reply *r, unsigned v)
{
	r->p[r->n++] = (unsigned char)(v >> 8);
	r->p[r->n++] = (unsigned char)v;
}

/* Header and question copied from the query; counts set by the caller. */
static void start(struct reply *r, const unsigned char *q, size_t qlen, unsigned rcode)
{
	memcpy(r->p, q, qlen);
	r->n = qlen;
	r->p[2] = 0x84 | (q[2] & 0x01); /* QR, AA, RD echoed */
	r->p[3] = (unsigned char)(0x80 | rcode);
	memset(r->p + 6, 0, 6);
}

static void count(struct reply *r, unsigned an)
{
	r->p[6] = (unsigned char)(an >> 8);
	r->p[7] = (unsigned char)an;
}

static void rr_head(struct reply *r, unsigned type, unsigned rdlen)
{
	put16(r, type);
	put16(r, 1);
	put16(r, 0);
	put16(r, 60);
	put16(r, rdlen);
}

static void a_record(struct reply *r, const unsigned char *owner, size_t olen, const char *addr)
{
	memcpy(r->p + r->n, owner, olen);
	r->n += olen;
	rr_head(r, 1, 4);
	inet_pton(AF_INET, addr, r->p + r->n);
	r->n += 4;
}

static const unsigned char QNAME_PTR[2] = { 0xc0, 0x0c };

/* A label "cN" + ".hostile.test" as a wire name. */
static size_t chain_name(unsigned char *out, int i)
{
	char label[8];
	int len = snprintf(label, sizeof(label), "c%d", i);

	out[0] = (unsigned char)len;
	memcpy(out + 1, label, (size_t)len);
	memcpy(out + 1 + len, "\7hostile\4test", 14);
	return (size_t)len + 15;
}

static void cname(struct reply *r, const unsigned char *owner, size_t olen,
		  const unsigned char *target, size_t tlen)
{
	memcpy(r->p + r->n, owner, olen);
	r->n += olen;
	rr_head(r, 5, (unsigned)tlen);
	memcpy(r->p + r->n, target, tlen);
	r->n += tlen;
}

static void good(struct reply *r, const unsigned char *q, size_t qlen, int type_a,
		 const char *addr)
{
	start(r, q, qlen, 0);
	if (type_a) {
		a_record(r, QNAME_PTR, 2, addr);
		count(r, 1);
	}
}

static void send_to(int fd, const struct reply *r, const struct sockaddr_in *to)
{
	sendto(fd, r->p, r->n, 0, (const struct sockaddr *)to, sizeof(*to));
}

static int udp_socket(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		perror("bind");
		exit(1);
	}
	return fd;
}

static struct {
	time_t due;
	struct reply r;
	struct sockaddr_in to;
} slow_reply;
static int slow_pending;

static void answer(int fd, int fd_port, int fd_addr, const unsigned char *q, size_t qlen,
		   const struct sockaddr_in *from)
{
	static struct reply r;
	char mode[64];
	size_t l = q[12];
	int type_a = qlen >= 4 && q[qlen - 3] == 1 && q[qlen - 4] == 0;
	int type_mx = qlen >= 4 && q[qlen - 3] == 15 && q[qlen - 4] == 0;

	if (l >= sizeof(mode))
		return;
	memcpy(mode, q + 13, l);
	mode[l] = '\0';
	if (strcmp(mode, "silent") == 0)
		return;
	if (strcmp(mode, "servfail") == 0) {
		start(&r, q, qlen, 2);
	} else if (strcmp(mode, "refused") == 0) {
		start(&r, q, qlen, 5);
	} else if (strcmp(mode, "wrongid") == 0 || strcmp(mode, "wrongport") == 0 ||
		   strcmp(mode, "wrongaddr") == 0 || strcmp(mode, "othername") == 0) {
		good(&r, q, qlen, 1, WRONG);
		if (strcmp(mode, "wrongid") == 0)
			r.p[1] ^= 1;
		if (strcmp(mode, "othername") == 0)
			r.p[14] = 'x'; /* a question for another name */
		send_to(strcmp(mode, "wrongport") == 0 ? fd_port
			: strcmp(mode, "wrongaddr") == 0 ? fd_addr
							 : fd,
			&r, from);
		usleep(20000);
		good(&r, q, qlen, type_a, "192.0.2.201");
	} else if (strcmp(mode, "ptrloop") == 0 || strcmp(mode, "ptroob") == 0) {
		unsigned char ptr[2] = { 0xc0, 0x00 };
		start(&r, q, qlen, 0);
		ptr[1] = (unsigned char)r.n; /* the owner points at itself */
		a_record(&r, strcmp(mode, "ptrloop") == 0 ? ptr : (const unsigned char *)"\xff\xff", 2,
			 WRONG);
		count(&r, 1);
	} else if (strcmp(mode, "longname") == 0) {
		unsigned char name[400];
		size_t n = 0;
		for (int i = 0; i < 5; i++) {
			name[n++] = 60;
			memset(name + n, 'a', 60);
			n += 60;
		}
		name[n++] = 0;
		start(&r, q, qlen, 0);
		a_record(&r, name, n, WRONG);
		count(&r, 1);
	} else if (strcmp(mode, "countlie") == 0) {
		good(&r, q, qlen, 1, WRONG);
		count(&r, 3);
	} else if (strcmp(mode, "truncated") == 0) {
		good(&r, q, qlen, 1, WRONG);
		r.n -= 3; /* cut inside the address */
	} else if (strcmp(mode, "cnameloop") == 0) {
		unsigned char a[32], b[32];
		size_t la = chain_name(a, 1), lb = chain_name(b, 2);
		start(&r, q, qlen, 0);
		cname(&r, QNAME_PTR, 2, a, la);
		cname(&r, a, la, b, lb);
		cname(&r, b, lb, a, la);
		count(&r, 3);
	} else if (strcmp(mode, "chain20") == 0) {
		unsigned char from_n[32], to_n[32];
		size_t lf, lt = chain_name(to_n, 1);
		start(&r, q, qlen, 0);
		cname(&r, QNAME_PTR, 2, to_n, lt);
		for (int i = 1; i < 20; i++) {
			lf = chain_name(from_n, i);
			lt = chain_name(to_n, i + 1);
			cname(&r, from_n, lf, to_n, lt);
		}
		if (type_a)
			a_record(&r, to_n, lt, "192.0.2.204");
		count(&r, type_a ? 21 : 20);
	} else if (strcmp(mode, "many") == 0) {
		start(&r, q, qlen, 0);
		int n = type_a ? 1000 : 0;
		for (int i = 0; i < n; i++) {
			char addr[32];
			snprintf(addr, sizeof(addr), "10.0.%d.%d", i / 256, i % 256);
			a_record(&r, QNAME_PTR, 2, addr);
		}
		count(&r, (unsigned)n);
	} else if ((strcmp(mode, "badmx") == 0 || strcmp(mode, "badglue") == 0) && !type_mx) {
		good(&r, q, qlen, type_a, WRONG);
	} else if (strcmp(mode, "badmx") == 0) {
		start(&r, q, qlen, 0);
		memcpy(r.p + r.n, QNAME_PTR, 2);
		r.n += 2;
		rr_head(&r, 15, 2);
		put16(&r, 10); /* a preference and no exchange */
		count(&r, 1);
	} else if (strcmp(mode, "badglue") == 0) {
		static const unsigned char mx_name[5] = { 2, 'm', 'x', 0xc0, 0x0c };
		start(&r, q, qlen, 0);
		memcpy(r.p + r.n, QNAME_PTR, 2);
		r.n += 2;
		rr_head(&r, 15, 2 + sizeof(mx_name));
		put16(&r, 10);
		memcpy(r.p + r.n, mx_name, sizeof(mx_name));
		r.n += sizeof(mx_name);
		memcpy(r.p + r.n, mx_name, sizeof(mx_name));
		r.n += sizeof(mx_name);
		rr_head(&r, 28, 4); /* AAAA of 4 bytes */
		inet_pton(AF_INET, WRONG, r.p + r.n);
		r.n += 4;
		a_record(&r, mx_name, sizeof(mx_name), "192.0.2.205");
		count(&r, 1);
		r.p[11] = 2; /* ARCOUNT */
	} else if (strncmp(mode, "mxsilent", 8) == 0 && q[qlen - 3] == 15 && q[qlen - 4] == 0) {
		int n = atoi(mode + 8);
		start(&r, q, qlen, 0);
		for (int i = 1; i <= n && i < 100; i++) {
			unsigned char host[40];
			int hl = snprintf((char *)host, sizeof(host), "%csilent%cx%d%chostile%ctest", 6, 0,
					  i, 7, 4);
			host[7] = (unsigned char)(i < 10 ? 2 : 3); /* the label "xI" */
			hl++; /* the root's 0 after "test" */
			memcpy(r.p + r.n, QNAME_PTR, 2);
			r.n += 2;
			rr_head(&r, 15, (unsigned)(2 + hl));
			put16(&r, 10);
			memcpy(r.p + r.n, host, (size_t)hl);
			r.n += (size_t)hl;
		}
		count(&r, (unsigned)(n < 100 ? n : 99));
	} else if (strcmp(mode, "slow") == 0) {
		good(&slow_reply.r, q, qlen, 1, WRONG);
		slow_reply.due = time(NULL) + 3;
		slow_reply.to = *from;
		slow_pending = 1;
		return;
	} else {
		good(&r, q, qlen, type_a, "192.0.2.200");
	}
	send_to(fd, &r, from);
}

int main(int argc, char **argv)
{
	unsigned char q[512];
	struct sockaddr_in from;
	time_t end = time(NULL) + 600;

	if (argc != 2 && argc != 3)
		return 2;
	int port = atoi(argv[1]);
	const char *addr = argc == 3 ? argv[2] : "127.0.0.1";
	int fd = udp_socket(addr, port);
	int fd_port = udp_socket(addr, port + 1);
	int fd_addr = argc == 3 ? fd_port : udp_socket("127.0.0.2", port);

	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (slow_pending && slow_reply.due <= time(NULL)) {
			send_to(fd, &slow_reply.r, &slow_reply.to);
			slow_pending = 0;
		}
		if (poll(&p, 1, 200) <= 0)
			continue;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		/* A query: header, one question, no other records. */
		if (n < 17 || q[4] != 0 || q[5] != 1 || q[12] == 0 || q[12] > 63)
			continue;
		answer(fd, fd_port, fd_addr, q, (size_t)n, &from);
	}
	return 0;
}
