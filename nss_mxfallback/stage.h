/* What every stage is handed and how it answers.  A stage fills ANS and
 * returns MXF_FOUND, or says why not; it knows nothing of NSS. */
#ifndef MXF_STAGE_H
#define MXF_STAGE_H

#include "answer.h"
#include "config.h"
#include "dns.h"
#include "mxpolicy.h"
#include "outcome.h"
#include "trace.h"

#include <stdbool.h>

/* What the mx stage works with, in the thread's workspace (workspace.h). */
struct mxf_mx_room {
	struct mxf_mx mx[MXF_MAX_MX_RECORDS];
	char hosts[MXF_DNSMSG_NAME_ROOM]; /* the exchangers' names as text */
	struct mxf_mx_policy policy;
	struct mxf_answer scratch; /* one family of one exchanger */
	/* The MX reply's index: it keeps what it needs, so the exchangers'
	 * queries can reuse the buffer the reply came in. */
	struct mxf_dnsmsg msg;
	const unsigned char *owner; /* wire form, in MSG */
	int owner_hops; /* CNAMEs from the asked name to the owner of the MX */
};

struct mxf_workspace;

struct mxf_query {
	const char *name; /* as the caller wrote it */
	struct mxf_workspace *ws; /* where the DNS replies and the mx stage's work go */
	int family; /* AF_INET, AF_INET6, or AF_UNSPEC for both */
	const struct mxf_config *cfg;
	struct mxf_dns dns; /* opened on first use */
	bool dns_opened;
	bool dns_done; /* DNS said all it will: later DNS stages are skipped */
	bool stop; /* the answer is final (null MX): no later stage runs */
	/* The mx stage decided for this name (an MX set, or a failure that
	 * hides one): no other source may answer with the domain's own
	 * address instead (RFC 5321 §5.1). */
	bool mx_final;
	bool check_name; /* the DNS stages refuse names res_hnok fails */
	int sys_errno; /* a stage's MXF_NO_RESOURCES: EMFILE, ENFILE or ENOMEM */
	/* The a stage's search walk (dns.h): done once per lookup, for the
	 * first family.  FOUND_AT is the name it reached, in wire form (NULL
	 * when it reached none): the a stage asks its other family there, as
	 * nss_dns does. */
	bool walked;
	/* The mx stage found the name as written without MX: its implicit MX
	 * is itself, so the walk asks it as written, not the search list. */
	bool walk_as_written;
	enum mxf_outcome walk_outcome;
	struct mxf_dnsmsg *walk; /* the walk's reply (in DNS; NULL until walked) */
	const unsigned char *found_at; /* in WALK */
	int64_t netbios_end; /* 0 until a NetBIOS stage starts */
	const struct mxf_trace *trace; /* NULL in the module */
};

/* Sets Q up for one lookup of NAME, working in WS.  Every field of struct
 * mxf_query is set here: a new field needs a line in it. */
void mxf_query_init(struct mxf_query *q, const char *name, int family,
		    const struct mxf_config *cfg, const struct mxf_trace *trace,
		    struct mxf_workspace *ws);

/* Opens the resolver on first use; MXF_FOUND when it is ready. */
enum mxf_outcome mxf_query_dns(struct mxf_query *q, struct mxf_dns **dns);

/* Whether NAME may be sent to DNS: res_hnok, as nss_dns checks it in
 * gethostbyname{,2,3,4}_r (Q->check_name; false for gethostbyaddr).  When
 * not, later DNS stages are skipped too and the stage says MXF_NO_NAME
 * without a query. */
bool mxf_query_name_ok(struct mxf_query *q);

/* The a stage's search walk: NAME's first family searched with
 * res_search, once per lookup, as nss_dns does (asked as written alone when
 * Q->walk_as_written).  On MXF_FOUND *MSG reads
 * the reply and Q->found_at holds the name reached.  A name res_hnok
 * refuses is MXF_NO_NAME without a query. */
enum mxf_outcome mxf_query_walk(struct mxf_query *q, const struct mxf_dnsmsg **msg);

/* Traces BEFORE, the wire name NAME as text, then AFTER; the text is made
 * only when the lookup is traced. */
void mxf_query_trace_name(const struct mxf_query *q, const char *before,
			  const unsigned char *name, const char *after);

/* Frees what the lookup's DNS stages held. */
void mxf_query_finish(struct mxf_query *q);

/* Families asked for, in the order their addresses are listed. */
unsigned mxf_query_families(const struct mxf_query *q, int families[2]);

/* The NetBIOS stages (every WINS server, retry and WACK, then every
 * broadcast attempt) end together this long after the first of them
 * starts, so a lookup stays under 30 s with any config: the DNS part is
 * MXF_DNS_MAX_MS at most, lmhosts reads a local file. */
#define MXF_NETBIOS_MS 9000

/* When the NetBIOS stages must have ended (mxf_now_ms's clock); the first
 * call starts the MXF_NETBIOS_MS. */
int64_t mxf_query_netbios_end(struct mxf_query *q);

enum mxf_outcome mxf_stage_mx(struct mxf_query *q, struct mxf_answer *ans);
enum mxf_outcome mxf_stage_a(struct mxf_query *q, struct mxf_answer *ans);
enum mxf_outcome mxf_stage_wins(struct mxf_query *q, struct mxf_answer *ans);
enum mxf_outcome mxf_stage_lmhosts(struct mxf_query *q, struct mxf_answer *ans);

/* Fills ANS from a positive NetBIOS name query REPLY (wins or bcast): its
 * NB addresses in order, h_name as the caller wrote it, the record's TTL. */
struct mxf_nb_reply;
void mxf_nb_answer(const struct mxf_query *q, const struct mxf_nb_reply *reply,
		   struct mxf_answer *ans);
enum mxf_outcome mxf_stage_bcast(struct mxf_query *q, struct mxf_answer *ans);

/* Asks the host at IPv4 ADDR (network order) itself for its NetBIOS names
 * (NODE STATUS, what `nmblookup -A` does) and fills ANS with its unique <00>
 * name.  False when it does not answer in wins_timeout x wins_retries. */
bool mxf_wins_node_status(const struct mxf_config *cfg, uint32_t addr, struct mxf_answer *ans);

/* Adds the FAMILY addresses of reply MSG (asked for them) to ANS, as
 * mxf_resolve_addresses does after its query. */
enum mxf_outcome mxf_read_addresses(const struct mxf_dnsmsg *msg, int family, bool with_names,
				    struct mxf_answer *ans);

/* Adds HOST's FAMILY addresses to ANS, following CNAMEs; SEARCH applies the
 * resolver's search list.  WITH_NAMES also sets the canonical name (if ANS
 * has none yet) and adds the chain's names as aliases.  Shared by the a
 * stage and the mx stage's exchangers. */
enum mxf_outcome mxf_resolve_addresses(struct mxf_query *q, const char *host, bool search,
				       int family, bool with_names, struct mxf_answer *ans);

#endif
