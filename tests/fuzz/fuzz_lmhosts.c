/* libFuzzer target: any bytes as an LMHOSTS file: every line parsed into a
 * table, then looked up by name and by address. */
#include "lmhosts_parse.h"
#include "lmhosts_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct mxf_lm_line *line = malloc(sizeof(*line));
	struct mxf_answer *ans = malloc(sizeof(*ans));
	struct mxf_lm_table table;
	unsigned char key[MXF_LM_NAME_LEN];

	mxf_lm_table_init(&table);
	while (line != NULL && ans != NULL && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		mxf_lm_parse_line(p, (size_t)(eol - p), line);
		if (line->kind == MXF_LM_ENTRY)
			mxf_lm_table_add(&table, line, 0, 1);
		p = nl != NULL ? nl + 1 : end;
	}
	if (ans != NULL && mxf_lm_table_finish(&table) == 0) {
		mxf_answer_init(ans);
		for (unsigned i = 0; i < table.n_entries && i < 8; i++) {
			mxf_lm_table_find_name(&table, table.entries[i].key, ans);
			mxf_lm_table_find_addr(&table, table.entries[i].addr);
		}
		if (mxf_lm_key("HOST", 4, key) == 0)
			mxf_lm_table_find_name(&table, key, ans);
	}
	mxf_lm_table_free(&table);
	free(line);
	free(ans);
	return 0;
}
