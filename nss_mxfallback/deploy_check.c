/* mxfallback-query --check.  Each check reads real files under a root
 * directory and reports what would make the module answer differently from
 * what the admin expects, with the fix, one line each.  The module itself
 * never runs here: only its config parser. */
#include "deploy_check.h"

#include "config.h"
#include "config_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define CONF_PATH "/etc/nss_mxfallback.conf"
#define DEFAULT_LMHOSTS "/etc/samba/lmhosts"
#define MAX_FILE (1024 * 1024)

struct check {
	const char *root; /* no trailing '/'; "" for "/" */
	FILE *out;
	unsigned findings;
	char config[PATH_MAX]; /* the config file, as read */
	bool config_ok;
	struct mxf_config cfg;
};

static void finding(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void finding(struct check *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	c->findings++;
}

/* ABS (an absolute path on the checked host) as seen from here. */
static const char *under(const struct check *c, const char *abs, char *buf)
{
	snprintf(buf, PATH_MAX, "%s%s", c->root, abs);
	return buf;
}

/* The whole file, NUL-terminated, or NULL with errno set. */
static char *slurp(const char *path)
{
	struct stat st;
	char *text = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EFBIG;
		goto out;
	}
	text = malloc((size_t)st.st_size + 1);
	if (text != NULL && read(fd, text, (size_t)st.st_size) != st.st_size) {
		free(text);
		text = NULL;
		errno = EIO;
	} else if (text != NULL) {
		text[st.st_size] = '\0';
	}
out:
	close(fd);
	return text;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static bool stage_on(const struct mxf_config *cfg, enum mxf_stage s)
{
	for (unsigned i = 0; i < cfg->n_stages; i++)
		if (cfg->stages[i] == s)
			return true;
	return false;
}

/* The next whitespace-separated word of the line at *P (stops at '\n' and
 * '#'); returns its length, 0 at the end of the line. */
static size_t word(const char **p, const char **start)
{
	const char *s = *p;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	*start = s;
	while (*s != '\0' && *s != '\n' && *s != '#' && *s != ' ' && *s != '\t' && *s != '\r')
		s++;
	*p = s;
	return (size_t)(s - *start);
}

static bool word_is(const char *w, size_t len, const char *s)
{
	return len == strlen(s) && strncmp(w, s, len) == 0;
}

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl != NULL ? nl + 1 : NULL;
}

/* The module's own loader (config_file.c): the same size limit, checks
 * and verdict as every lookup gets. */
static void check_config(struct check *c)
{
	const struct mxf_config *cfg;
	char why[512];
	int rc = mxf_config_load(c->config, &cfg, why, sizeof(why));

	c->config_ok = rc == 0;
	if (rc == 0) {
		c->cfg = *cfg;
		mxf_config_release(cfg);
		return;
	}
	mxf_config_defaults(&c->cfg);
	if (rc == MXF_CONFIG_BROKEN)
		finding(c, "%s: every lookup returns UNAVAIL until this is fixed", why);
	else
		finding(c, "%s: out of memory while reading it", c->config);
}

/* Positions of mxfallback and dns among the hosts: line's sources; 0 when
 * absent.  [ACTION] items are skipped, but *FINAL says whether the one
 * right after mxfallback is [!UNAVAIL=return]. */
static void hosts_sources(const char *text, int *mxf, int *dns, bool *has_line, bool *final)
{
	*mxf = *dns = 0;
	*has_line = false;
	*final = false;
	for (const char *p = text; p != NULL; p = next_line(p)) {
		const char *w;
		size_t len = word(&p, &w);
		if (!word_is(w, len, "hosts:"))
			continue;
		*has_line = true;
		*mxf = *dns = 0; /* glibc uses the last hosts: line */
		*final = false;
		bool in_action = false;
		for (int pos = 1; (len = word(&p, &w)) > 0; pos++) {
			if (w[0] == '[')
				in_action = true;
			if (*mxf == pos - 1 && *mxf != 0 && len == 17 &&
			    strncasecmp(w, "[!UNAVAIL=return]", len) == 0)
				*final = true;
			if (!in_action && word_is(w, len, "mxfallback") && *mxf == 0)
				*mxf = pos;
			if (!in_action && word_is(w, len, "dns") && *dns == 0)
				*dns = pos;
			if (memchr(w, ']', len) != NULL)
				in_action = false;
		}
	}
}

static void check_nsswitch(struct check *c)
{
	char path[PATH_MAX];
	char *text = slurp(under(c, "/etc/nsswitch.conf", path));
	int mxf, dns;
	bool has_line, final;

	if (text == NULL) {
		finding(c, "%s: cannot be read (%s): programs resolve with glibc's built-in "
			   "default, without mxfallback; write a hosts: line", path, strerror(errno));
		return;
	}
	hosts_sources(text, &mxf, &dns, &has_line, &final);
	free(text);
	if (mxf == 0)
		finding(c, "%s: mxfallback is not on the %s line: no program uses the module; "
			   "put it before dns: hosts: files mxfallback [!UNAVAIL=return] dns",
			path, has_line ? "hosts:" : "(missing) hosts:");
	else if (dns != 0 && dns < mxf && c->config_ok && stage_on(&c->cfg, MXF_STAGE_MX))
		finding(c, "%s: mxfallback comes after dns on the hosts: line: dns answers first "
			   "and mail programs never see the MX host; put mxfallback before dns",
			path);
	else if (dns > mxf && !final && c->config_ok && stage_on(&c->cfg, MXF_STAGE_MX))
		finding(c, "%s: mxfallback is not followed by [!UNAVAIL=return]: after a null MX "
			   "or a failed exchanger dns answers with the domain's own address; write "
			   "hosts: files mxfallback [!UNAVAIL=return] dns",
			path);
}

static void check_lmhosts(struct check *c)
{
	char path[PATH_MAX];
	struct stat st;

	if (!c->config_ok || !stage_on(&c->cfg, MXF_STAGE_LMHOSTS) || c->cfg.lmhosts[0] == '\0')
		return;
	under(c, c->cfg.lmhosts, path);
	if (stat(path, &st) != 0) {
		/* The default path missing is normal: the stage finds nothing. */
		if (errno != ENOENT || strcmp(c->cfg.lmhosts, DEFAULT_LMHOSTS) != 0)
			finding(c, "%s: lmhosts %s cannot be read (%s): the lmhosts stage finds "
				   "nothing; create it, or set lmhosts none",
				c->config, c->cfg.lmhosts, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		finding(c, "%s: lmhosts %s is not a regular file; name the file, or set lmhosts "
			   "none", c->config, c->cfg.lmhosts);
	} else if ((st.st_mode & S_IROTH) == 0) {
		finding(c, "%s: lmhosts %s is not readable by other users (mode %04o): mail "
			   "programs (Postfix's smtp runs as postfix) cannot read it; chmod 644 %s",
			c->config, c->cfg.lmhosts, (unsigned)(st.st_mode & 07777), c->cfg.lmhosts);
	}
}

/* "enable-cache hosts yes" in nscd.conf, with nscd or unscd installed. */
static bool nscd_caches_hosts(const struct check *c, char *conf)
{
	char bin[PATH_MAX], bin2[PATH_MAX];
	bool on = false;
	char *text;

	if (!exists(under(c, "/usr/sbin/nscd", bin)) && !exists(under(c, "/usr/sbin/unscd", bin2)))
		return false;
	text = slurp(under(c, "/etc/nscd.conf", conf));
	for (const char *p = text; p != NULL; p = next_line(p)) {
		const char *w1, *w2, *w3;
		size_t l1 = word(&p, &w1), l2 = word(&p, &w2), l3 = word(&p, &w3);
		if (word_is(w1, l1, "enable-cache") && word_is(w2, l2, "hosts"))
			on = word_is(w3, l3, "yes");
	}
	free(text);
	return on;
}

/* The bcast stage sends nothing without an address (nss_mxfallback.conf(5)):
 * listed alone in stages it silently never answers. */
static void check_bcast(struct check *c)
{
	if (!c->config_ok || !stage_on(&c->cfg, MXF_STAGE_BCAST) || c->cfg.n_bcast > 0 ||
	    c->cfg.bcast_auto)
		return;
	finding(c, "%s: stage bcast is listed but no bcast_address is set: it never sends a "
		   "query; add bcast_address auto (or the subnet's broadcast address)",
		c->config);
}

static void check_nscd(struct check *c)
{
	char conf[PATH_MAX];

	if (!c->config_ok || c->cfg.mx_all_programs || !stage_on(&c->cfg, MXF_STAGE_MX) ||
	    !nscd_caches_hosts(c, conf))
		return;
	finding(c, "%s: enable-cache hosts yes together with mx_programs (%s): lookups run "
		   "inside nscd, where mx_programs cannot tell programs apart and %s; set "
		   "enable-cache hosts no, or mx_programs *",
		conf, c->config,
		mxf_config_mx_allowed(&c->cfg, "nscd") ? "every client gets MX-first answers"
						       : "no client gets MX-first answers");
}

/* Runs postconf -c DIR -h on three parameters; fills VALUES (one per line). */
static int postconf(const char *dir, char values[3][PATH_MAX])
{
	/* posix_spawn's argv is char *const[]; the strings are not written. */
	static char a0[] = "postconf", a1[] = "-c", a3[] = "-h", a4[] = "smtp_host_lookup",
		    a5[] = "disable_dns_lookups", a6[] = "queue_directory";
	char dirbuf[PATH_MAX];
	char *argv[] = { a0, a1, dirbuf, a3, a4, a5, a6, NULL };
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, rc = -1;
	pid_t pid;

	snprintf(dirbuf, sizeof(dirbuf), "%s", dir);
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "postconf", &fa, NULL, argv, environ) == 0) {
		FILE *f = fdopen(pipefd[0], "r");
		close(pipefd[1]);
		pipefd[1] = -1;
		rc = 0;
		for (int i = 0; i < 3; i++) {
			if (f == NULL || fgets(values[i], PATH_MAX, f) == NULL)
				rc = -1;
			else
				values[i][strcspn(values[i], "\n")] = '\0';
		}
		if (f != NULL)
			fclose(f);
		else
			close(pipefd[0]);
		pipefd[0] = -1;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 2; i++)
		if (pipefd[i] >= 0)
			close(pipefd[i]);
	return rc;
}

/* The master.cf line number of a chrooted smtp service of type unix, 0 if none.
 * Fields: service type private unpriv chroot wakeup maxproc command. */
static unsigned chrooted_smtp(const char *master_cf)
{
	char *text = slurp(master_cf);
	unsigned n = 0, found = 0;

	for (const char *p = text; p != NULL && found == 0; p = next_line(p)) {
		const char *w[8];
		size_t len[8];
		n++;
		if (*p == ' ' || *p == '\t' || *p == '#')
			continue; /* a continuation (-o ...) or a comment */
		for (int i = 0; i < 8; i++)
			len[i] = word(&p, &w[i]);
		if (word_is(w[1], len[1], "unix") && word_is(w[4], len[4], "y") &&
		    word_is(w[7], len[7], "smtp"))
			found = n;
	}
	free(text);
	return found;
}

/* FILE (absolute) inside the chroot QUEUE must be a copy of the original. */
static void check_chroot_copy(struct check *c, const char *queue, const char *file,
			      const char *original, unsigned master_line, bool extra)
{
	char inside[PATH_MAX], abs[PATH_MAX];
	char *a, *b;

	snprintf(abs, sizeof(abs), "%s%s", queue, file);
	under(c, abs, inside);
	a = slurp(original);
	if (a == NULL)
		return;
	b = slurp(inside);
	if (b == NULL && extra)
		finding(c, "%s: smtp runs chrooted (master.cf line %u) and %s is not inside %s: "
			   "the module there does not see it; add chroot_extra_files=\"%s\" to "
			   "/etc/default/postfix, then systemctl restart postfix",
			original, master_line, file, queue, file);
	else if (b == NULL || strcmp(a, b) != 0)
		finding(c, "%s: the copy in Postfix's chroot %s%s is %s: systemctl restart "
			   "postfix copies it again", original, queue, file,
			b == NULL ? "missing" : "out of date");
	free(a);
	free(b);
}

static void check_postfix(struct check *c)
{
	char dir[PATH_MAX], master[PATH_MAX], main_cf[PATH_MAX], orig[PATH_MAX];
	char v[3][PATH_MAX];
	unsigned line;

	if (!exists(under(c, "/etc/postfix/main.cf", main_cf)))
		return;
	under(c, "/etc/postfix", dir);
	if (postconf(dir, v) != 0) {
		finding(c, "%s: postconf cannot read it; check it with postconf -c %s", main_cf, dir);
		return;
	}
	if (strncmp(v[0], "native", 6) != 0 || (v[0][6] != '\0' && v[0][6] != ','))
		finding(c, "%s: smtp_host_lookup = %s: Postfix resolves with DNS itself, not "
			   "through NSS; set smtp_host_lookup = native", main_cf, v[0]);
	if (strcmp(v[1], "yes") != 0)
		finding(c, "%s: disable_dns_lookups = %s: Postfix still asks DNS for MX records "
			   "itself; set disable_dns_lookups = yes", main_cf, v[1]);
	line = chrooted_smtp(under(c, "/etc/postfix/master.cf", master));
	if (line == 0)
		return;
	check_chroot_copy(c, v[2], CONF_PATH, c->config, line, true);
	if (c->config_ok && stage_on(&c->cfg, MXF_STAGE_LMHOSTS) && c->cfg.lmhosts[0] != '\0')
		check_chroot_copy(c, v[2], c->cfg.lmhosts, under(c, c->cfg.lmhosts, orig), line,
				  true);
	check_chroot_copy(c, v[2], "/etc/nsswitch.conf", under(c, "/etc/nsswitch.conf", orig),
			  line, false);
	check_chroot_copy(c, v[2], "/etc/resolv.conf", under(c, "/etc/resolv.conf", orig), line,
			  false);
}

/* Exim resolves through NSS only on a manualroute "byname" route; its
 * dnslookup router asks DNS itself. */
static void check_exim(struct check *c)
{
	static const char *const files[] = { "/etc/exim4/exim4.conf",
					     "/var/lib/exim4/config.autogenerated" };
	char path[PATH_MAX];
	char *text = NULL;

	for (unsigned i = 0; i < 2 && text == NULL; i++)
		text = slurp(under(c, files[i], path));
	if (text == NULL)
		return;
	bool dnslookup = false, byname = false;
	for (const char *p = text; p != NULL; p = next_line(p)) {
		const char *w1, *w2, *w3;
		size_t l1 = word(&p, &w1), l2 = word(&p, &w2), l3 = word(&p, &w3);
		if (word_is(w1, l1, "driver") && word_is(w2, l2, "=") && word_is(w3, l3, "dnslookup"))
			dnslookup = true;
		if (word_is(w1, l1, "driver=dnslookup"))
			dnslookup = true;
	}
	byname = strstr(text, "byname") != NULL;
	free(text);
	if (dnslookup && !byname)
		finding(c, "%s: Exim routes with a dnslookup router, which asks DNS for MX records "
			   "itself; route through NSS with a manualroute router: "
			   "route_list = * $domain byname", path);
}

unsigned mxf_check(const struct mxf_check_options *opt, FILE *out)
{
	struct check *c = calloc(1, sizeof(*c));
	unsigned n;

	if (c == NULL)
		return 1;
	c->out = out;
	c->root = strcmp(opt->root, "/") == 0 ? "" : opt->root;
	if (opt->config != NULL)
		snprintf(c->config, sizeof(c->config), "%s", opt->config);
	else
		under(c, CONF_PATH, c->config);
	check_config(c);
	check_nsswitch(c);
	check_lmhosts(c);
	check_bcast(c);
	check_nscd(c);
	check_postfix(c);
	check_exim(c);
	n = c->findings;
	free(c);
	return n;
}
