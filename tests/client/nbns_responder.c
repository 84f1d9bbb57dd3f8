/* A NetBIOS name server that misbehaves on purpose, for the wins and bcast
 * tests.  Listens on ADDR:137 (or the PORT given) and answers every NAME
 * QUERY REQUEST as MODE says, with GOOD as the right address (a comma list
 * gives several) and 192.0.2.66 as a wrong one; appends one line per query
 * received to LOG.  With LISTEN it also takes queries sent to LISTEN (a
 * broadcast address; "-" for none) and answers them from ADDR, after DELAY
 * ms if given.  Each log line names the socket the query came to.
 * Stops after 600 s or when killed.
 *
 *   nbns_responder ADDR[:PORT] MODE GOOD LOG [LISTEN [DELAY]]
 *
 * MODE: good | negative | silent | wrongid | wrongport | othername | twice |
 *       wack | late | ttl | conflict (GOOD, then at once another answer)
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BAD_ADDR "192.0.2.66"
#define MAX_LATE 16

static struct {
	time_t due;
	unsigned char pkt[128];
	size_t len;
	struct sockaddr_in to;
} late[MAX_LATE];
static int n_late;

static int open_socket(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		perror("bind");
		exit(1);
	}
	return fd;
}

/* A reply to REQ (a 50-byte query): positive with ADDR, or the given kind. */
static size_t reply(const unsigned char *req, unsigned char *out, uint16_t flags, uint16_t type,
		    uint32_t ttl, const char *addr, int rdlen)
{
	size_t n = 12 + 34;

	memcpy(out, req, 2);
	out[2] = (unsigned char)(flags >> 8);
	out[3] = (unsigned char)flags;
	memset(out + 4, 0, 8);
	out[7] = 1; /* ANCOUNT */
	memcpy(out + 12, req + 12, 34);
	out[n++] = (unsigned char)(type >> 8);
	out[n++] = (unsigned char)type;
	out[n++] = 0;
	out[n++] = 1;
	out[n++] = (unsigned char)(ttl >> 24);
	out[n++] = (unsigned char)(ttl >> 16);
	out[n++] = (unsigned char)(ttl >> 8);
	out[n++] = (unsigned char)ttl;
	out[n++] = 0;
	out[n++] = (unsigned char)rdlen;
	if (rdlen == 6) {
		/* ADDR may be a comma list: one NB entry each. */
		char list[256], *save = NULL;
		snprintf(list, sizeof(list), "%s", addr);
		out[n - 1] = 0;
		for (char *a = strtok_r(list, ",", &save); a != NULL; a = strtok_r(NULL, ",", &save)) {
			out[n++] = 0x60;
			out[n++] = 0;
			inet_pton(AF_INET, a, out + n);
			n += 4;
			out[12 + 34 + 9] = (unsigned char)(out[12 + 34 + 9] + 6);
		}
	} else if (rdlen == 2) {
		out[n++] = 0x01;
		out[n++] = 0x00;
	}
	return n;
}

static size_t positive(const unsigned char *req, unsigned char *out, const char *addr)
{
	return reply(req, out, 0x8580, 0x20, 300, addr, 6);
}

int main(int argc, char **argv)
{
	unsigned char req[600], out[600];
	struct sockaddr_in from;
	time_t end = time(NULL) + 600;
	char addr[64];
	int port = 137;

	if (argc < 5 || argc > 7)
		return 2;
	const char *mode = argv[2], *good = argv[3];
	snprintf(addr, sizeof(addr), "%s", argv[1]);
	char *colon = strchr(addr, ':');
	if (colon != NULL) {
		*colon = '\0';
		port = atoi(colon + 1);
	}
	int fd = open_socket(addr, port);
	int other = open_socket(addr, port + 1000);
	int lfd = argc > 5 && strcmp(argv[5], "-") != 0 ? open_socket(argv[5], port) : -1;
	int delay_ms = argc > 6 ? atoi(argv[6]) : 0;
	FILE *log = fopen(argv[4], "ae");

	while (time(NULL) < end) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = lfd, .events = POLLIN } };
		for (int i = 0; i < n_late; i++)
			if (late[i].due <= time(NULL)) {
				sendto(fd, late[i].pkt, late[i].len, 0, (struct sockaddr *)&late[i].to,
				       sizeof(late[i].to));
				late[i--] = late[--n_late];
			}
		if (poll(p, lfd >= 0 ? 2 : 1, 200) <= 0)
			continue;
		socklen_t fl = sizeof(from);
		int in = p[0].revents & POLLIN ? fd : lfd;
		ssize_t got = recvfrom(in, req, sizeof(req), 0, (struct sockaddr *)&from, &fl);
		if (got != 50)
			continue;
		fprintf(log, "query %.32s flags %02x%02x to %s\n", (const char *)req + 13, req[2], req[3],
			in == fd ? "addr" : "listen");
		fflush(log);
		if (delay_ms > 0)
			usleep((useconds_t)delay_ms * 1000);
		struct sockaddr *to = (struct sockaddr *)&from;
		size_t n;
		if (strcmp(mode, "silent") == 0)
			continue;
		if (strcmp(mode, "negative") == 0) {
			n = reply(req, out, 0x8583, 0x0a, 0, NULL, 0);
		} else if (strcmp(mode, "wrongid") == 0) {
			n = positive(req, out, BAD_ADDR);
			out[1] ^= 0x01;
			sendto(fd, out, n, 0, to, fl);
			n = positive(req, out, good);
		} else if (strcmp(mode, "wrongport") == 0) {
			n = positive(req, out, BAD_ADDR);
			sendto(other, out, n, 0, to, fl);
			usleep(50000);
			n = positive(req, out, good);
		} else if (strcmp(mode, "othername") == 0) {
			n = positive(req, out, BAD_ADDR);
			out[13] = 'F'; /* another name's first letter */
			sendto(fd, out, n, 0, to, fl);
			n = positive(req, out, good);
		} else if (strcmp(mode, "twice") == 0) {
			n = positive(req, out, good);
			sendto(fd, out, n, 0, to, fl);
		} else if (strcmp(mode, "wack") == 0) {
			n = reply(req, out, 0xbc00, 0x0a, 2, NULL, 2);
			sendto(fd, out, n, 0, to, fl);
			usleep(1200000); /* past wins_timeout, within the WACK's 2 s */
			n = positive(req, out, good);
		} else if (strcmp(mode, "late") == 0) {
			/* Past the whole budget the tests give; queued, so that the
			 * next query is still read (and logged) at once. */
			if (n_late < MAX_LATE) {
				late[n_late].due = time(NULL) + 3;
				late[n_late].len = positive(req, late[n_late].pkt, BAD_ADDR);
				late[n_late].to = from;
				n_late++;
			}
			continue;
		} else if (strcmp(mode, "conflict") == 0) {
			n = positive(req, out, good);
			sendto(fd, out, n, 0, to, fl);
			n = positive(req, out, BAD_ADDR);
		} else if (strcmp(mode, "ttl") == 0) {
			n = reply(req, out, 0x8580, 0x20, 1234, good, 6);
		} else {
			n = positive(req, out, good);
		}
		sendto(fd, out, n, 0, to, fl);
	}
	return 0;
}
