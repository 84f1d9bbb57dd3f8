/* The parsed LMHOSTS entries in hash tables by name and by address: built
 * once per change of the files, then each lookup is a hash probe. */
#ifndef MXF_LMHOSTS_TABLE_H
#define MXF_LMHOSTS_TABLE_H

#include "answer.h"
#include "lmhosts_parse.h"

#include <stdint.h>

struct mxf_lm_entry {
	unsigned char key[MXF_LM_NAME_LEN];
	char spelling[MXF_LM_NAME_LEN + 1];
	int16_t suffix;
	bool multihomed;
	uint32_t addr; /* network order */
	uint16_t file; /* which file, for mxfallback-query */
	uint32_t line;
	uint32_t next_by_name; /* index + 1 in the chain; 0 ends it */
	uint32_t next_by_addr;
};

struct mxf_lm_table {
	struct mxf_lm_entry *entries;
	uint32_t n_entries, cap_entries;
	uint32_t *by_name; /* bucket heads: index + 1; chains in file order */
	uint32_t *by_addr;
	uint32_t n_buckets; /* a power of two; 0 until mxf_lm_table_finish */
};

void mxf_lm_table_init(struct mxf_lm_table *t);
void mxf_lm_table_free(struct mxf_lm_table *t);

/* Appends a parsed entry read from line LINE_NO of file FILE; -1 when out
 * of memory. */
int mxf_lm_table_add(struct mxf_lm_table *t, const struct mxf_lm_line *line, unsigned file,
		     unsigned line_no);

/* Builds the hash chains once all entries are in; -1 when out of memory.
 * Lookups find nothing before it. */
int mxf_lm_table_finish(struct mxf_lm_table *t);

/* Adds to ANS the addresses for host name KEY: the first entry for the name
 * wins, unless it is #MH, when every #MH entry for the name counts.  An
 * entry with an explicit 16th byte answers only if it is 0x00 or 0x20.
 * Returns how many addresses were added. */
unsigned mxf_lm_table_find_name(const struct mxf_lm_table *t,
				const unsigned char key[MXF_LM_NAME_LEN], struct mxf_answer *ans);

/* The entry that decides host name KEY (the first one that answers host
 * lookups), or NULL. */
const struct mxf_lm_entry *mxf_lm_table_first(const struct mxf_lm_table *t,
					      const unsigned char key[MXF_LM_NAME_LEN]);

/* The first entry for IPv4 address ADDR (network order) whose name a host
 * lookup answers with ADDR, or NULL: a reverse lookup never gives a name
 * the forward lookup would not (a 16th byte other than 0x00/0x20, a later
 * entry hidden by the first one for its name). */
const struct mxf_lm_entry *mxf_lm_table_find_addr(const struct mxf_lm_table *t, uint32_t addr);

#endif
