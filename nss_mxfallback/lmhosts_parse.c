#include "lmhosts_parse.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const char *p, *end;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void skip_space(struct cursor *c)
{
	while (c->p < c->end && is_space(*c->p))
		c->p++;
}

/* The next whitespace-delimited token; false at the end of the line. */
static bool next_token(struct cursor *c, const char **tok, size_t *len)
{
	skip_space(c);
	if (c->p == c->end)
		return false;
	*tok = c->p;
	while (c->p < c->end && !is_space(*c->p))
		c->p++;
	*len = (size_t)(c->p - *tok);
	return true;
}

static unsigned char upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

/* ASCII only: strncasecmp follows the locale (Turkish 'i'). */
static bool same_ascii(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (upper((unsigned char)a[i]) != upper((unsigned char)b[i]))
			return false;
	return true;
}

static bool token_is(const char *tok, size_t len, const char *word)
{
	return len == strlen(word) && same_ascii(tok, word, len);
}

static bool is_prefix(const char *tok, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && same_ascii(tok, word, n);
}

static int bad(struct mxf_lm_line *out, const char *why)
{
	out->kind = MXF_LM_BAD;
	out->error = why;
	return -1;
}

/* Bytes an LMHOSTS name may hold outside quotes. */
static bool name_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)upper((unsigned char)c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void set_name(struct mxf_lm_line *out, const unsigned char *bytes, size_t len)
{
	memset(out->key, ' ', sizeof(out->key));
	for (size_t i = 0; i < len; i++) {
		out->key[i] = upper(bytes[i]);
		out->spelling[i] = (char)bytes[i];
	}
	out->spelling[len] = '\0';
	while (len > 0 && out->spelling[len - 1] == ' ')
		out->spelling[--len] = '\0';
}

/* "NAME" or Samba's "NAME#20". */
static int parse_plain_name(const char *tok, size_t len, struct mxf_lm_line *out)
{
	const char *hash = memchr(tok, '#', len);

	if (hash != NULL) {
		size_t rest = len - (size_t)(hash - tok) - 1;
		if (rest != 2 || hex_value(hash[1]) < 0 || hex_value(hash[2]) < 0)
			return bad(out, "bad #NN name type");
		out->suffix = hex_value(hash[1]) * 16 + hex_value(hash[2]);
		len = (size_t)(hash - tok);
	}
	if (len == 0 || len > MXF_LM_NAME_LEN)
		return bad(out, "name must have 1 to 15 characters");
	for (size_t i = 0; i < len; i++)
		if (!name_byte((unsigned char)tok[i]))
			return bad(out, "binary or reserved byte in name");
	set_name(out, (const unsigned char *)tok, len);
	return 0;
}

/* A quoted name: spaces allowed, \0xNN gives one byte; 16 bytes make the
 * last one the explicit 16th byte (KB Q104576). */
static int parse_quoted_name(struct cursor *c, struct mxf_lm_line *out)
{
	unsigned char bytes[MXF_LM_NAME_LEN + 1];
	size_t n = 0;

	for (c->p++; c->p < c->end && *c->p != '"'; n++) {
		if (n == sizeof(bytes))
			return bad(out, "quoted name longer than 16 bytes");
		if (c->end - c->p >= 5 && c->p[0] == '\\' && c->p[1] == '0' &&
		    (c->p[2] == 'x' || c->p[2] == 'X') && hex_value(c->p[3]) >= 0 &&
		    hex_value(c->p[4]) >= 0) {
			bytes[n] = (unsigned char)(hex_value(c->p[3]) * 16 + hex_value(c->p[4]));
			c->p += 5;
			continue;
		}
		if ((unsigned char)*c->p < 0x20 || (unsigned char)*c->p >= 0x7f)
			return bad(out, "binary byte in quoted name");
		bytes[n] = (unsigned char)*c->p++;
	}
	if (c->p == c->end)
		return bad(out, "unbalanced quote");
	c->p++;
	if (c->p < c->end && !is_space(*c->p))
		return bad(out, "text right after the closing quote");
	if (n == 0)
		return bad(out, "empty name");
	if (n == sizeof(bytes)) {
		out->suffix = bytes[MXF_LM_NAME_LEN];
		n = MXF_LM_NAME_LEN;
	}
	set_name(out, bytes, n);
	return 0;
}

/* After the name: #PRE, #DOM:x and #MH; any other '#' starts a comment. */
static int parse_keywords(struct cursor *c, struct mxf_lm_line *out)
{
	const char *tok;
	size_t len;

	while (next_token(c, &tok, &len)) {
		if (tok[0] != '#')
			return bad(out, "unexpected text after the name");
		if (token_is(tok, len, "#MH"))
			out->multihomed = true;
		else if (!token_is(tok, len, "#PRE") && !is_prefix(tok, len, "#DOM:"))
			break; /* a comment */
	}
	return 0;
}

/* A dotted quad as inet_pton(AF_INET) takes it (four decimal parts of at
 * most 255, no leading zeros), read in place: a 100,000-line file parses
 * in fewer instructions than glibc's files module spends on one lookup. */
static int parse_ipv4(const char *tok, size_t len, struct in_addr *out)
{
	const char *p = tok, *end = tok + len;
	uint32_t addr = 0;

	for (int part = 0; part < 4; part++) {
		unsigned value = 0, digits = 0;
		if (part > 0 && (p == end || *p++ != '.'))
			return -1;
		for (; p < end && *p >= '0' && *p <= '9' && digits < 4; p++, digits++)
			value = value * 10 + (unsigned)(*p - '0');
		if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && p[-(int)digits] == '0'))
			return -1;
		addr = addr << 8 | value;
	}
	if (p != end)
		return -1;
	out->s_addr = htonl(addr);
	return 0;
}

static void parse_entry(struct cursor *c, struct mxf_lm_line *out)
{
	const char *tok;
	size_t len;

	next_token(c, &tok, &len);
	if (parse_ipv4(tok, len, &out->addr) != 0)
		return (void)bad(out, "bad IPv4 address");
	skip_space(c);
	if (c->p == c->end || *c->p == '#')
		return (void)bad(out, "address without a name");
	if (*c->p == '"') {
		if (parse_quoted_name(c, out) != 0)
			return;
	} else {
		next_token(c, &tok, &len);
		if (parse_plain_name(tok, len, out) != 0)
			return;
	}
	if (parse_keywords(c, out) == 0)
		out->kind = MXF_LM_ENTRY;
}

static void parse_directive(struct cursor *c, struct mxf_lm_line *out)
{
	const char *tok, *path;
	size_t len, path_len;

	next_token(c, &tok, &len);
	if (token_is(tok, len, "#BEGIN_ALTERNATE") || token_is(tok, len, "#BEGIN_INCLUDE")) {
		out->kind = MXF_LM_BEGIN_ALTERNATE;
	} else if (token_is(tok, len, "#END_ALTERNATE") || token_is(tok, len, "#END_INCLUDE")) {
		out->kind = MXF_LM_END_ALTERNATE;
	} else if (token_is(tok, len, "#INCLUDE")) {
		skip_space(c);
		path = c->p;
		path_len = (size_t)(c->end - c->p);
		while (path_len > 0 && is_space(path[path_len - 1]))
			path_len--;
		if (path_len >= 2 && path[0] == '"' && path[path_len - 1] == '"') {
			path++;
			path_len -= 2;
		}
		if (path_len == 0 || path_len >= sizeof(out->path))
			return (void)bad(out, "#INCLUDE without a usable path");
		memcpy(out->path, path, path_len);
		out->path[path_len] = '\0';
		out->kind = MXF_LM_INCLUDE;
	}
	/* Anything else after '#' is a comment. */
}

void mxf_lm_parse_line(const char *line, size_t len, struct mxf_lm_line *out)
{
	struct cursor c = { line, line + len };

	out->kind = MXF_LM_NOTHING;
	out->suffix = -1;
	out->multihomed = false;
	out->error = NULL;
	if (memchr(line, '\0', len) != NULL)
		return (void)bad(out, "binary data");
	skip_space(&c);
	if (c.p == c.end)
		return;
	if (*c.p == '#')
		parse_directive(&c, out);
	else
		parse_entry(&c, out);
}

int mxf_lm_key(const char *name, size_t len, unsigned char key[MXF_LM_NAME_LEN])
{
	if (len == 0 || len > MXF_LM_NAME_LEN)
		return -1;
	memset(key, ' ', MXF_LM_NAME_LEN);
	for (size_t i = 0; i < len; i++) {
		if (!name_byte((unsigned char)name[i]))
			return -1;
		key[i] = upper((unsigned char)name[i]);
	}
	return 0;
}
