/* A parser for one line of an LMHOSTS file, in the syntax of Windows NT
 * (MS-NBTE 2.2.3: #PRE, #DOM:, #MH, #INCLUDE, #BEGIN_ALTERNATE, quoted names
 * with \0xNN) and of Samba's lmhosts(5) (NAME#20).  Pure: text in, struct
 * out. */
#ifndef MXF_LMHOSTS_PARSE_H
#define MXF_LMHOSTS_PARSE_H

#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#define MXF_LM_NAME_LEN 15

enum mxf_lm_kind {
	MXF_LM_NOTHING, /* blank or comment */
	MXF_LM_ENTRY,
	MXF_LM_INCLUDE,
	MXF_LM_BEGIN_ALTERNATE, /* also #BEGIN_INCLUDE, the WfW 3.11 spelling */
	MXF_LM_END_ALTERNATE,
	MXF_LM_BAD,
};

struct mxf_lm_line {
	enum mxf_lm_kind kind;
	struct in_addr addr;
	/* Upper-cased and space padded, as Windows compares names. */
	unsigned char key[MXF_LM_NAME_LEN];
	char spelling[MXF_LM_NAME_LEN + 1]; /* as the file writes it, unpadded */
	int suffix; /* the 16th byte, or -1: the entry matches any */
	bool multihomed; /* #MH */
	char path[PATH_MAX]; /* MXF_LM_INCLUDE */
	const char *error; /* MXF_LM_BAD */
};

/* Parses LINE (LEN bytes, no line end) into OUT. */
void mxf_lm_parse_line(const char *line, size_t len, struct mxf_lm_line *out);

/* Makes the lookup key of NAME (1..15 bytes, a trailing dot stripped by the
 * caller); -1 when NAME cannot be in an LMHOSTS file. */
int mxf_lm_key(const char *name, size_t len, unsigned char key[MXF_LM_NAME_LEN]);

#endif
