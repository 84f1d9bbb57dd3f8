/* Stage bcast: a NetBIOS NAME QUERY broadcast on the local subnets, as a
 * Windows H-node asks after its WINS servers (and Samba's winbindd after
 * WINS).  Off unless configured: the stage sends nothing without a
 * bcast_address, and only ever to those addresses (or, with `auto`, to the
 * broadcast address of each interface).  Each attempt goes to every address
 * at once; the first reply that bcast_rules.c takes wins; silence for
 * bcast_timeout x bcast_retries is "not found".  IPv4 only. */
#include "bcast_rules.h"
#include "clock.h"
#include "log.h"
#include "nbns.h"
#include "stage.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct bcast_query {
	struct mxf_query *q;
	struct mxf_bcast_target targets[MXF_MAX_BCAST];
	unsigned n_targets;
	uint16_t id;
	unsigned char name[MXF_NB_NAME_LEN];
	unsigned char request[MXF_NB_QUERY_LEN];
};

static uint16_t transaction_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)(mxf_now_ms() ^ getpid());
	return id;
}

static const char *text_of(const struct sockaddr_in *sin, char text[INET_ADDRSTRLEN + 6])
{
	char addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
	snprintf(text, INET_ADDRSTRLEN + 6, "%s:%u", addr, ntohs(sin->sin_port));
	return text;
}

/* The configured addresses, then (auto) those of the interfaces now. */
static void collect_targets(struct bcast_query *b)
{
	const struct mxf_config *cfg = b->q->cfg;
	struct ifaddrs *list;

	memcpy(b->targets, cfg->bcast, cfg->n_bcast * sizeof(cfg->bcast[0]));
	b->n_targets = cfg->n_bcast;
	if (!cfg->bcast_auto)
		return;
	if (getifaddrs(&list) != 0) {
		mxf_log_debug(cfg->debug, "bcast: getifaddrs: %s", strerror(errno));
		return;
	}
	mxf_bcast_add_interfaces(list, b->targets, &b->n_targets);
	freeifaddrs(list);
}

/* Sends the query to every target; false when none of them took it. */
static bool send_all(int fd, const struct bcast_query *b, unsigned attempt)
{
	unsigned sent = 0;
	char text[INET_ADDRSTRLEN + 6];

	for (unsigned i = 0; i < b->n_targets; i++) {
		const struct sockaddr_in *to = &b->targets[i].addr;
		if (sendto(fd, b->request, sizeof(b->request), 0, (const struct sockaddr *)to,
			   sizeof(*to)) == (ssize_t)sizeof(b->request)) {
			sent++;
			if (attempt == 0)
				mxf_trace(b->q->trace, "broadcast to %s", text_of(to, text));
		} else {
			const char *why = strerror(errno);
			mxf_log_debug(b->q->cfg->debug, "bcast: sendto %s: %s", text_of(to, text), why);
			mxf_trace(b->q->trace, "broadcast to %s failed: %s", text, why);
		}
	}
	return sent > 0;
}

static const char *verdict_text(enum mxf_bcast_verdict v)
{
	switch (v) {
	case MXF_BCAST_TAKEN:
		return "taken";
	case MXF_BCAST_STRANGER:
		return "not from port 137 of a subnet asked";
	case MXF_BCAST_NOT_OURS:
		return "not a reply to this query";
	case MXF_BCAST_NEGATIVE:
		return "no address in it";
	}
	return "?";
}

/* Reads one datagram, if any, and judges it.  -1 when none was waiting. */
static int read_one(int fd, const struct bcast_query *b, struct sockaddr_in *from,
		    struct mxf_nb_reply *reply, enum mxf_bcast_verdict *v)
{
	unsigned char pkt[576];
	socklen_t fromlen = sizeof(*from);
	ssize_t n = recvfrom(fd, pkt, sizeof(pkt), MSG_DONTWAIT, (struct sockaddr *)from, &fromlen);

	if (n < 0)
		return -1;
	if (fromlen != sizeof(*from))
		from->sin_family = AF_UNSPEC; /* judged a stranger */
	*v = mxf_bcast_judge(pkt, (size_t)n, from, b->id, b->name, b->targets, b->n_targets, reply);
	return 0;
}

/* Waits until DEADLINE for a reply that counts.  True when REPLY holds one. */
static bool await_answer(int fd, const struct bcast_query *b, int64_t deadline,
			 struct sockaddr_in *from, struct mxf_nb_reply *reply)
{
	enum mxf_bcast_verdict v;
	char text[INET_ADDRSTRLEN + 6];

	for (int64_t left; (left = deadline - mxf_now_ms()) > 0;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return false;
		while (read_one(fd, b, from, reply, &v) == 0) {
			if (v == MXF_BCAST_TAKEN)
				return true;
			mxf_trace(b->q->trace, "reply from %s ignored: %s", text_of(from, text),
				  verdict_text(v));
		}
	}
	return false;
}

/* Replies already waiting after the answer: the first that disagrees is
 * logged (two hosts claim the name), and all are dropped with the socket. */
static void note_disagreement(int fd, const struct bcast_query *b, const struct mxf_nb_reply *taken)
{
	struct mxf_nb_reply other;
	struct sockaddr_in from;
	enum mxf_bcast_verdict v;
	char text[INET_ADDRSTRLEN + 6], first[INET_ADDRSTRLEN];

	while (read_one(fd, b, &from, &other, &v) == 0) {
		if (v != MXF_BCAST_TAKEN || mxf_bcast_same_answer(taken, &other))
			continue;
		inet_ntop(AF_INET, &other.addrs[0], first, sizeof(first));
		mxf_log_debug(b->q->cfg->debug, "bcast: %s: a later reply from %s (%s, ...) disagrees: ignored",
			      b->q->name, text_of(&from, text), first);
		mxf_trace(b->q->trace, "a later reply from %s disagrees (%s, ...): ignored",
			  text_of(&from, text), first);
		return;
	}
}

/* Every attempt over FD (broadcasts allowed on it), until the NetBIOS
 * stages' bound: 1 answered, 0 silent. */
static int attempts(struct bcast_query *b, int fd, struct mxf_nb_reply *reply,
		    struct sockaddr_in *from)
{
	const struct mxf_config *cfg = b->q->cfg;
	int one = 1, rc = 0;

	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) != 0)
		return 0;
	for (unsigned attempt = 0; attempt < cfg->bcast_retries && rc == 0; attempt++) {
		/* The time WINS left of the NetBIOS stages' bound (stage.h). */
		int64_t end = mxf_query_netbios_end(b->q), deadline = mxf_now_ms() + cfg->bcast_timeout_ms;
		if (mxf_now_ms() >= end)
			break;
		if (!send_all(fd, b, attempt))
			break; /* nothing went out: nothing to wait for */
		if (await_answer(fd, b, deadline < end ? deadline : end, from, reply)) {
			note_disagreement(fd, b, reply);
			rc = 1;
		}
	}
	return rc;
}

/* Closes the socket of a lookup cancelled while it waits (poll is a
 * cancellation point). */
static void close_socket(void *fd)
{
	close(*(int *)fd);
}

/* Every attempt goes to all targets over one socket; the same ID throughout,
 * so a slow reply to the first attempt still counts.  1 answered, 0 silent,
 * -1 no socket. */
static int ask(struct bcast_query *b, struct mxf_nb_reply *reply, struct sockaddr_in *from)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int rc;

	if (fd < 0)
		return -1;
	pthread_cleanup_push(close_socket, &fd);
	rc = attempts(b, fd, reply, from);
	pthread_cleanup_pop(1);
	return rc;
}

enum mxf_outcome mxf_stage_bcast(struct mxf_query *q, struct mxf_answer *ans)
{
	struct bcast_query b = { .q = q };
	struct mxf_nb_reply reply;
	struct sockaddr_in from;
	size_t len = strlen(q->name);
	char text[INET_ADDRSTRLEN + 6];
	int rc;

	if (q->family == AF_INET6) {
		mxf_trace(q->trace, "IPv6: not asked (NetBIOS is IPv4 only)");
		return MXF_NO_NAME;
	}
	if (len > 0 && q->name[len - 1] == '.')
		len--;
	if (mxf_nb_make_name(q->name, len, q->cfg->wins_suffix, b.name) != 0) {
		mxf_trace(q->trace, "not a NetBIOS name: not asked");
		return MXF_NO_NAME; /* a DNS name, or too long */
	}
	collect_targets(&b);
	if (b.n_targets == 0) {
		mxf_trace(q->trace, "no broadcast address: nothing sent");
		return MXF_NO_NAME;
	}
	b.id = transaction_id();
	mxf_nb_bcast_query(b.id, b.name, b.request);
	rc = ask(&b, &reply, &from);
	if (rc < 0) {
		int err = errno;
		mxf_log_debug(q->cfg->debug, "bcast: socket: %s", strerror(err));
		mxf_trace(q->trace, "no socket: %s", strerror(err));
		return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM
			       ? MXF_NO_RESOURCES
			       : MXF_NO_NAME;
	}
	if (rc == 0) {
		mxf_log_debug(q->cfg->debug, "bcast: no answer for %s", q->name);
		mxf_trace(q->trace, "no answer in %u x %u ms", q->cfg->bcast_retries,
			  q->cfg->bcast_timeout_ms);
		return MXF_NO_NAME;
	}
	mxf_log_debug(q->cfg->debug, "bcast: %s answered for %s", text_of(&from, text), q->name);
	mxf_trace(q->trace, "%s answered: %u address(es), TTL %u", text_of(&from, text),
		  reply.n_addrs, reply.ttl);
	mxf_nb_answer(q, &reply, ans);
	return MXF_FOUND;
}
