/* Stage wins: a NetBIOS name query to each configured WINS server in turn,
 * as Windows NT 3.51 and later ask them (KB 870623): a negative answer moves
 * to the next server at once, silence after wins_retries attempts of
 * wins_timeout ms each moves on too, and a silent server is skipped by this
 * process for 15 s (Windows' WinsDownTimeout).  Unicast only, IPv4 only. */
#include "log.h"
#include "clock.h"
#include "forkguard.h"
#include "nbns.h"
#include "stage.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DOWN_MS 15000
#define MAX_DOWN 16

/* SAID_CANNOT_ASK: no socket here (out of descriptors or memory); the
 * server said nothing because it was never asked, and is not marked down. */
enum server_said { SAID_YES, SAID_NO, SAID_NOTHING, SAID_CANNOT_ASK };

/* Servers that stayed silent, shared by all threads of the process. */
static pthread_mutex_t down_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	struct sockaddr_in addr;
	int64_t until_ms;
} down[MAX_DOWN]; /* guarded by down_lock */

static bool same_server(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_addr.s_addr == b->sin_addr.s_addr && a->sin_port == b->sin_port;
}

static bool down_lock_guarded;

/* Every use of the list goes through here first. */
static void lock_down_list(void)
{
	mxf_fork_guard(&down_lock_guarded, &down_lock, NULL);
	pthread_mutex_lock(&down_lock);
}

static bool server_is_down(const struct sockaddr_in *server)
{
	bool is_down = false;
	int64_t now = mxf_now_ms();

	lock_down_list();
	for (int i = 0; i < MAX_DOWN; i++)
		if (same_server(&down[i].addr, server) && down[i].until_ms > now)
			is_down = true;
	pthread_mutex_unlock(&down_lock);
	return is_down;
}

static void mark_down(const struct sockaddr_in *server)
{
	int64_t now = mxf_now_ms();
	int slot = 0;

	lock_down_list();
	for (int i = 0; i < MAX_DOWN; i++) {
		if (same_server(&down[i].addr, server)) {
			slot = i;
			break;
		}
		if (down[i].until_ms < down[slot].until_ms)
			slot = i; /* else reuse the entry that expires first */
	}
	down[slot].addr = *server;
	down[slot].until_ms = now + DOWN_MS;
	pthread_mutex_unlock(&down_lock);
}

static uint16_t transaction_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)(mxf_now_ms() ^ getpid());
	return id;
}

/* How a reply reader judges a packet that came from the right address. */
enum verdict { IGNORE, DONE, WAIT_MORE };
struct exchange {
	unsigned char request[MXF_NB_QUERY_LEN];
	uint16_t id;
	enum verdict (*read)(struct exchange *x, const unsigned char *pkt, size_t len);
	uint32_t wait_s; /* with WAIT_MORE: seconds the server asked for */
	const unsigned char *name; /* name queries */
	struct mxf_nb_reply reply;
	char status_name[MXF_NB_NAME_LEN]; /* node status */
};

/* Waits until DEADLINE for the reply; a WACK moves the deadline, within
 * BUDGET_END.  Returns 1 when the reader is DONE, 0 on timeout, -1 when the
 * server is unreachable (ICMP port unreachable: nothing listens there). */
static int await_reply(int fd, const struct sockaddr_in *server, struct exchange *x,
		       int64_t *deadline, int64_t budget_end)
{
	unsigned char pkt[576];
	struct sockaddr_in from;

	for (int64_t left; (left = *deadline - mxf_now_ms()) > 0;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int rc = poll(&p, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return 0;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return errno == ECONNREFUSED ? -1 : 0;
		/* connect() already filters by source; this is belt and braces. */
		if (fromlen != sizeof(from) || !same_server(&from, server))
			continue;
		switch (x->read(x, pkt, (size_t)n)) {
		case DONE:
			return 1;
		case WAIT_MORE: {
			int64_t wait_until = mxf_now_ms() + (int64_t)x->wait_s * 1000;
			*deadline = wait_until < budget_end ? wait_until : budget_end;
			break;
		}
		case IGNORE:
			break;
		}
	}
	return 0;
}

/* Sends X's request up to wins_retries times, wins_timeout ms apart, over
 * a fresh connected socket, never past STAGE_END.  Returns 1 answered, 0 silent, -1 unreachable,
 * -2 with errno set when no socket could be made (EMFILE, ENFILE, ENOMEM,
 * ENOBUFS): that says nothing about the server. */
/* Closes the socket of a lookup cancelled while it waits (poll and
 * recvfrom are cancellation points). */
static void close_socket(void *fd)
{
	close(*(int *)fd);
}

/* The attempts over FD, connected to SERVER, until BUDGET_END. */
static int attempts(const struct mxf_config *cfg, int fd, const struct sockaddr_in *server,
		    struct exchange *x, int64_t budget_end)
{
	int rc = 0;

	if (connect(fd, (const struct sockaddr *)server, sizeof(*server)) != 0)
		return 0;
	for (unsigned attempt = 0; attempt < cfg->wins_retries && rc == 0; attempt++) {
		int64_t deadline = mxf_now_ms() + cfg->wins_timeout_ms;
		if (deadline > budget_end)
			deadline = budget_end;
		if (send(fd, x->request, sizeof(x->request), 0) != (ssize_t)sizeof(x->request) &&
		    errno != ECONNREFUSED)
			break;
		rc = await_reply(fd, server, x, &deadline, budget_end);
		if (deadline >= budget_end)
			break; /* a WACK used the whole budget */
	}
	return rc;
}

static int transact(const struct mxf_config *cfg, const struct sockaddr_in *server,
		    struct exchange *x, int64_t stage_end)
{
	int64_t budget_end = mxf_now_ms() + (int64_t)cfg->wins_timeout_ms * cfg->wins_retries;
	int rc;
	int fd;

	if (budget_end > stage_end)
		budget_end = stage_end;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -2;
	pthread_cleanup_push(close_socket, &fd);
	rc = attempts(cfg, fd, server, x, budget_end);
	pthread_cleanup_pop(1);
	return rc;
}

static enum verdict read_name_reply(struct exchange *x, const unsigned char *pkt, size_t len)
{
	if (mxf_nb_parse_reply(pkt, len, x->id, x->name, &x->reply) != 0)
		return IGNORE;
	x->wait_s = x->reply.ttl;
	return x->reply.kind == MXF_NB_WACK ? WAIT_MORE : DONE;
}

static enum server_said ask_server(const struct mxf_config *cfg, const struct sockaddr_in *server,
				   const unsigned char name[MXF_NB_NAME_LEN], int64_t stage_end,
				   struct mxf_nb_reply *reply)
{
	struct exchange x = { .id = transaction_id(), .read = read_name_reply, .name = name };

	mxf_nb_query(x.id, name, x.request);
	switch (transact(cfg, server, &x, stage_end)) {
	case 1:
		break;
	case -2:
		return SAID_CANNOT_ASK;
	default:
		return SAID_NOTHING;
	}
	*reply = x.reply;
	return reply->kind == MXF_NB_POSITIVE ? SAID_YES : SAID_NO;
}

void mxf_nb_answer(const struct mxf_query *q, const struct mxf_nb_reply *reply,
		   struct mxf_answer *ans)
{
	for (unsigned i = 0; i < reply->n_addrs; i++)
		mxf_answer_add_address(ans, AF_INET, &reply->addrs[i]);
	mxf_answer_set_name(ans, q->name);
	mxf_answer_lower_ttl(ans, reply->ttl);
}

enum mxf_outcome mxf_stage_wins(struct mxf_query *q, struct mxf_answer *ans)
{
	const struct mxf_config *cfg = q->cfg;
	unsigned char name[MXF_NB_NAME_LEN];
	size_t len = strlen(q->name);
	struct mxf_nb_reply reply;
	int64_t stage_end = mxf_query_netbios_end(q);

	if (q->family == AF_INET6 || cfg->n_wins_servers == 0)
		return MXF_NO_NAME;
	if (len > 0 && q->name[len - 1] == '.')
		len--;
	if (mxf_nb_make_name(q->name, len, cfg->wins_suffix, name) != 0) {
		mxf_trace(q->trace, "not a NetBIOS name: not asked");
		return MXF_NO_NAME; /* a DNS name, or too long */
	}
	for (unsigned i = 0; i < cfg->n_wins_servers; i++) {
		const struct sockaddr_in *server = &cfg->wins_servers[i];
		char text[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &server->sin_addr, text, sizeof(text));
		if (mxf_now_ms() >= stage_end) {
			mxf_trace(q->trace, "WINS %s not asked: the stage's %d ms are spent", text,
				  MXF_NETBIOS_MS);
			break;
		}
		if (server_is_down(server)) {
			mxf_log_debug(cfg->debug, "WINS %s skipped: silent in the last 15 s", text);
			mxf_trace(q->trace, "WINS %s skipped: silent in the last 15 s", text);
			continue;
		}
		switch (ask_server(cfg, server, name, stage_end, &reply)) {
		case SAID_YES:
			mxf_log_debug(cfg->debug, "WINS %s knows %s", text, q->name);
			mxf_trace(q->trace, "WINS %s answered: %u address(es), TTL %u", text,
				  reply.n_addrs, reply.ttl);
			mxf_nb_answer(q, &reply, ans);
			return MXF_FOUND;
		case SAID_NO:
			mxf_log_debug(cfg->debug, "WINS %s: %s not found (rcode %u)", text, q->name,
				      reply.rcode);
			mxf_trace(q->trace, "WINS %s: not found (rcode %u)", text, reply.rcode);
			break;
		case SAID_NOTHING:
			mxf_log_debug(cfg->debug, "WINS %s did not answer", text);
			mxf_trace(q->trace, "WINS %s did not answer", text);
			mark_down(server);
			break;
		case SAID_CANNOT_ASK:
			q->sys_errno = errno;
			mxf_log_debug(cfg->debug, "WINS %s not asked: no socket (errno %d)", text,
				      q->sys_errno);
			mxf_trace(q->trace, "WINS %s not asked: no socket", text);
			return MXF_NO_RESOURCES;
		}
	}
	return MXF_NO_NAME;
}

static enum verdict read_status_reply(struct exchange *x, const unsigned char *pkt, size_t len)
{
	return mxf_nb_parse_status(pkt, len, x->id, x->status_name) == 0 ? DONE : IGNORE;
}

bool mxf_wins_node_status(const struct mxf_config *cfg, uint32_t addr, struct mxf_answer *ans)
{
	struct sockaddr_in host = { .sin_family = AF_INET, .sin_port = htons(MXF_NB_PORT) };
	struct exchange x = { .id = transaction_id(), .read = read_status_reply };

	host.sin_addr.s_addr = addr;
	mxf_nb_status_query(x.id, x.request);
	if (transact(cfg, &host, &x, mxf_now_ms() + MXF_NETBIOS_MS) <= 0)
		return false;
	mxf_answer_set_name(ans, x.status_name);
	mxf_answer_add_address(ans, AF_INET, &addr);
	mxf_answer_lower_ttl(ans, 0); /* a live answer from the host: not for caching */
	return true;
}
