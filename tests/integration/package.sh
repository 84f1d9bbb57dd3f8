#!/bin/bash
# The Debian package: lintian on the built .deb and .changes, then installs
# into a throwaway root (an overlay of / inside this mount namespace):
# nsswitch.conf edited by dh-nss on a set of real-world files, getent there
# answering through the module, and purge restoring each file byte for byte.
#   MXF_DEB_DIR=DIR   where dpkg-buildpackage left the packages
. "$(dirname "$0")/lib.sh"
[ -n "${MXF_DEB_DIR:-}" ] && ls "$MXF_DEB_DIR"/libnss-mxfallback_*.deb >/dev/null 2>&1 ||
	skip_all "no built package (tests/run-all builds one)"
MXF_DEB_DIR=$(cd "$MXF_DEB_DIR" && pwd)
enter_sandbox "$@"
require lintian dpkg nsd postfix smtp-sink
start_nsd

out=$(lintian --allow-root --fail-on none "$MXF_DEB_DIR"/nss-mxfallback_*.changes 2>&1 |
	grep -E '^[EW]:')
expect "lintian: no errors and no warnings on the .deb files and .changes" "" "$out"

# The throwaway root: / overlaid on a tmpfs, with its own proc and dev.
R="$SANDBOX/root"
mkdir -p "$SANDBOX/ovl" "$R"
mount -t tmpfs tmpfs "$SANDBOX/ovl"
mkdir -p "$SANDBOX/ovl/upper" "$SANDBOX/ovl/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$SANDBOX/ovl/upper,workdir=$SANDBOX/ovl/work" "$R"
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
mount -t tmpfs tmpfs "$R/tmp"
mount -t tmpfs tmpfs "$R/run"
# One fixed name inside the root: a glob here would be expanded by this
# shell against the host's /tmp, not the root's.
debs=("$MXF_DEB_DIR"/libnss-mxfallback_*.deb)
[ ${#debs[@]} -eq 1 ] || { not_ok "exactly one libnss-mxfallback .deb in $MXF_DEB_DIR"; tap_done; exit 1; }
cp "${debs[0]}" "$R/tmp/libnss-mxfallback.deb"
qdebs=("$MXF_DEB_DIR"/mxfallback-query_*.deb)
cp "${qdebs[0]}" "$R/tmp/mxfallback-query.deb"
printf 'nameserver 127.0.0.1\nsearch example.test\n' >"$R/etc/resolv.conf"
in_root() { env -u LD_LIBRARY_PATH -u NSS_MXFALLBACK_CONF chroot "$R" "$@"; }
in_root dpkg --purge libnss-mxfallback >/dev/null 2>&1

# nsswitch.conf as the world writes it, and what installing must make of it.
V="$SANDBOX/variants"
mkdir -p "$V"
cat >"$V/debian-default" <<'NSS'
# /etc/nsswitch.conf
#
# Example configuration of GNU Name Service Switch functionality.

passwd:         files
group:          files
shadow:         files
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files
ethers:         db files
rpc:            db files

netgroup:       nis
NSS
sed 's/^hosts: .*/hosts:          files mdns4_minimal [NOTFOUND=return] dns myhostname/' \
	"$V/debian-default" >"$V/mdns"
sed 's/^hosts: .*/hosts:          mymachines resolve [!UNAVAIL=return] files myhostname dns/' \
	"$V/debian-default" >"$V/systemd-resolve"
printf '# comments\n\n  # indented comment\nhosts:\tfiles dns # trailing comment\npasswd: files\n' \
	>"$V/comments"
printf 'passwd: files\ngroup: files\n' >"$V/no-hosts-line"
printf 'passwd: files\nhosts: files mxfallback dns\n' >"$V/already"

declare -A edited=(
	[debian-default]="hosts:          files mxfallback [!UNAVAIL=return] dns"
	[mdns]="hosts:          files mdns4_minimal [NOTFOUND=return] mxfallback [!UNAVAIL=return] dns myhostname"
	[systemd-resolve]="hosts:          mymachines resolve [!UNAVAIL=return] files myhostname mxfallback [!UNAVAIL=return] dns"
	[comments]="hosts:	files mxfallback [!UNAVAIL=return] dns # trailing comment"
	[no-hosts-line]=""
	[already]="hosts: files mxfallback dns"
)
for variant in debian-default mdns systemd-resolve comments no-hosts-line already; do
	cp "$V/$variant" "$R/etc/nsswitch.conf"
	in_root dpkg -i /tmp/libnss-mxfallback.deb >"$SANDBOX/dpkg.log" 2>&1
	expect "$variant: dpkg -i succeeds" 0 $?
	expect "$variant: the hosts line after install" "${edited[$variant]}" \
		"$(grep '^hosts:' "$R/etc/nsswitch.conf")"
	expect "$variant: every other line kept" "$(grep -v '^hosts:' "$V/$variant")" \
		"$(grep -v '^hosts:' "$R/etc/nsswitch.conf")"
	if [ "$variant" = debian-default ]; then
		expect "installed root: getent hosts answers through the module (MX first)" \
			"2001:db8::11    mx1.mxdom.example.test mxdom.example.test" \
			"$(in_root getent hosts mxdom.example.test)"
		expect "installed root: the module in the multiarch directory" yes \
			"$([ -f "$R/usr/lib/$(gcc -print-multiarch)/libnss_mxfallback.so.2" ] && echo yes)"
		expect "installed root: the commented config is a conffile" "/etc/nss_mxfallback.conf" \
			"$(in_root dpkg-query -W -f='${Conffiles}' libnss-mxfallback | awk '{ print $1 }')"
	fi
	in_root dpkg --purge libnss-mxfallback >>"$SANDBOX/dpkg.log" 2>&1
	expect "$variant: dpkg --purge succeeds" 0 $?
	if [ "$variant" = already ]; then
		# dh-nss removes the service on purge even when the admin had it first.
		expect "$variant: purge takes mxfallback out" "hosts: files dns" \
			"$(grep '^hosts:' "$R/etc/nsswitch.conf")"
	else
		cmp -s "$V/$variant" "$R/etc/nsswitch.conf"
		expect "$variant: purge restores the file byte for byte" 0 $?
	fi
done
expect "purge removes the config" no "$([ -e "$R/etc/nss_mxfallback.conf" ] && echo yes || echo no)"

# --- The installed root as a mail host -----------------------------------
# Safe defaults: only the mail programs (and getent) get MX-first answers.
cp "$V/debian-default" "$R/etc/nsswitch.conf"
in_root dpkg -i /tmp/libnss-mxfallback.deb /tmp/mxfallback-query.deb >"$SANDBOX/dpkg.log" 2>&1
expect "mail host: dpkg -i succeeds (the module and mxfallback-query)" 0 $?
cp "$R/usr/bin/getent" "$R/usr/local/bin/curl"
safe_defaults() { # safe_defaults WHICH-CONFIG
	expect "$1: getent hosts D gives D's MX host (zone: MX 10 mx1.mxdom)" \
		"2001:db8::11    mx1.mxdom.example.test mxdom.example.test" \
		"$(in_root getent hosts mxdom.example.test)"
	expect "$1: a program named curl gets D's own address (zone: mxdom A 192.0.2.1)" \
		"192.0.2.1       mxdom.example.test" "$(in_root curl hosts mxdom.example.test)"
	local name
	for name in mxdom.example.test plain.example.test www.example.test noglue.example.test \
		nullmx.example.test nosuch.example.test; do
		expect "$1: curl resolves $name exactly as dns alone" \
			"$(in_root getent -s hosts:dns ahosts "$name"; echo "status $?")" \
			"$(in_root curl ahosts "$name"; echo "status $?")"
	done
	# The module is no PTR source: an address it does not know goes on to
	# dns (zones 100.51.198.in-addr.arpa and 8.b.d.0.1.0.0.2.ip6.arpa).
	expect "$1: curl gets 198.51.100.7's PTR from dns (zone: 7 PTR web.example.test)" \
		"198.51.100.7    web.example.test" "$(in_root curl hosts 198.51.100.7)"
	expect "$1: curl gets 2001:db8::7's PTR from dns (zone: PTR web.example.test)" \
		"2001:db8::7     web.example.test" "$(in_root curl hosts 2001:db8::7)"
	expect "$1: getent (a mail program) gets 198.51.100.7's PTR from dns" \
		"198.51.100.7    web.example.test" "$(in_root getent hosts 198.51.100.7)"
	expect "$1: no PTR: not found, as dns alone" \
		"$(in_root getent -s hosts:dns hosts 198.51.100.8; echo "status $?")" \
		"$(in_root curl hosts 198.51.100.8; echo "status $?")"
}
safe_defaults "shipped config"
# After the mx stage's verdict no later source may answer: dns, next on the
# line, would give the domain's own address (zone: nullmx A 192.0.2.40,
# mxfail A 192.0.2.99).  The package writes [!UNAVAIL=return] for that.
for name in nullmx.example.test mxfail.example.test; do
	expect_match "mail host: dns alone gives $name's own address" "^192\\.0\\.2\\.(40|99) " \
		"$(in_root getent -s hosts:dns hosts "$name")"
	expect "mail host: getent (the MTA's view) finds nothing for $name: null MX / exchanger SERVFAIL" \
		"status 2" "$(in_root getent hosts "$name"; echo "status $?")"
done
expect_match "mxfallback-query -p curl: what curl gets, from the a stage" \
	"answer: mxdom.example.test \\(stage a, TTL [0-9]+\\)" "$(in_root mxfallback-query -p curl mxdom.example.test)"
expect_match "mxfallback-query: by default what Postfix's smtp gets, from the mx stage" \
	"answer: mx1.mxdom.example.test \\(stage mx, TTL [0-9]+\\)" "$(in_root mxfallback-query mxdom.example.test)"
cp "$R/etc/nss_mxfallback.conf" "$SANDBOX/shipped.conf"
rm "$R/etc/nss_mxfallback.conf"
safe_defaults "config deleted (built-in defaults)"
cp "$SANDBOX/shipped.conf" "$R/etc/nss_mxfallback.conf"
echo 'mx_programs *' >"$R/etc/nss_mxfallback.conf"
expect "mx_programs *: curl gets D's MX host too" \
	"2001:db8::11    mx1.mxdom.example.test mxdom.example.test" "$(in_root curl hosts mxdom.example.test)"
cp "$SANDBOX/shipped.conf" "$R/etc/nss_mxfallback.conf"

# Postfix as Debian ships it: its own master.cf (smtp chrooted), native host
# lookups, the chroot prepared by configure-instance.sh as postfix@.service
# does (ExecStartPre), started as its ExecStart does.
expect "Debian's master.cf runs smtp chrooted" y \
	"$(awk '$1 == "smtp" && $2 == "unix" { print $5 }' "$R/etc/postfix/master.cf")"
in_root postconf -e smtp_host_lookup=native disable_dns_lookups=yes myhostname=sender.example.test \
	mydestination= inet_interfaces=loopback-only inet_protocols=ipv4 smtp_connect_timeout=2s \
	maillog_file=/var/log/postfix-test.log
S="$SANDBOX/sinks"
chmod 755 "$SANDBOX" # smtp-sink runs as postfix
for host in 2 6; do
	mkdir -p "$S/$host"
	chmod 777 "$S/$host"
	smtp-sink -u postfix -d "$S/$host/%M." "127.0.0.$host:25" 10 </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
done
# A WINS server that knows "filesrv"; the module asks it only when it reads
# the config, whose wins_server line names it.
"$top_builddir/tests/client/nbns_responder" 127.0.0.1 good 127.0.0.6 "$SANDBOX/nbns.log" \
	</dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
echo 'wins_server 127.0.0.1' >>"$R/etc/nss_mxfallback.conf"
postfix_start() {
	in_root /usr/lib/postfix/configure-instance.sh - >>"$SANDBOX/postfix.log" 2>&1 &&
		in_root postmulti -i - -p start >>"$SANDBOX/postfix.log" 2>&1
}
postfix_start
expect "Postfix starts the way its systemd unit starts it" 0 $?
trap 'in_root postfix stop >/dev/null 2>&1; umount -R "$R" 2>/dev/null || umount -l "$R" 2>/dev/null; sandbox_cleanup' EXIT
send() { # send RECIPIENT SUBJECT
	printf 'Subject: %s\n\nhello\n' "$2" | in_root sendmail -f sender@example.test "$1"
}
arrived() { # arrived SINKDIR SUBJECT: waits up to 20 s for the message
	for _ in $(seq 200); do
		grep -ls "Subject: $2" "$1"/* >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
logged() { # logged REGEX: waits up to 20 s for the line in Postfix's log
	for _ in $(seq 200); do
		grep -Eq -- "$1" "$R/var/log/postfix-test.log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
send user@maildom.example.test "chrooted smtp"
arrived "$S/2" "chrooted smtp"
expect "chrooted smtp: the message reaches D's MX host (zone: mx.maildom A 127.0.0.2)" 0 $?
logged "to=<user@maildom.example.test>, relay=maildom.example.test\\[127.0.0.2\\]:25.*status=sent"
expect "chrooted smtp: Postfix's log names the exchanger's address, not D's (127.0.0.3)" 0 $?
smtp_root=""
for pid in $(namespace_pids); do
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = smtp ] && smtp_root=$(readlink "/proc/$pid/root")
done
expect "the smtp process that delivered runs in the chroot" "$R/var/spool/postfix" "$smtp_root"
expect "configure-instance.sh alone leaves the module's config outside the chroot" no \
	"$([ -e "$R/var/spool/postfix/etc/nss_mxfallback.conf" ] && echo yes || echo no)"
expect "getent in the root reads the config: filesrv from the WINS server" \
	"127.0.0.6       filesrv" "$(in_root getent hosts filesrv)"
: >"$SANDBOX/nbns.log"
send user@filesrv "wins without config"
logged "to=<user@filesrv>.*status=(bounced|deferred)"
expect "without chroot_extra_files: chrooted smtp cannot find filesrv (no wins_server)" 0 $?
expect "without chroot_extra_files: the WINS server was not asked" "" "$(cat "$SANDBOX/nbns.log")"
# The one setting: /etc/default/postfix, read by configure-instance.sh;
# then what systemctl restart postfix does.
echo 'chroot_extra_files="/etc/nss_mxfallback.conf"' >>"$R/etc/default/postfix"
in_root postmulti -i - -p stop >>"$SANDBOX/postfix.log" 2>&1
postfix_start
expect "chroot_extra_files: the config is copied into the chroot" "" \
	"$(cmp "$R/etc/nss_mxfallback.conf" "$R/var/spool/postfix/etc/nss_mxfallback.conf" 2>&1)"
send user@filesrv "wins with config"
arrived "$S/6" "wins with config"
expect "chroot_extra_files: chrooted smtp delivers to filesrv, found by WINS" 0 $?
expect "chroot_extra_files: the WINS server was asked" yes \
	"$([ -s "$SANDBOX/nbns.log" ] && echo yes || echo no)"
in_root postfix stop >/dev/null 2>&1

# mxfallback-query --check on this mail host: clean, then one mistake at a
# time, each undone before the next.
sed -i 's/^\([[:space:]]*enable-cache[[:space:]]*hosts[[:space:]]*\)yes/\1no/' "$R/etc/nscd.conf"
check() { in_root mxfallback-query --check "$@"; }
expect "--check: the mail host as deployed above is clean (exit 0)" "status 0" \
	"$(check; echo "status $?")"
mistake() { # mistake DESCRIPTION EXPECTED-LINE-REGEX: --check exits 1 with that line
	local out
	out=$(check)
	expect "--check finds: $1 (exit 1)" 1 $?
	expect_match "--check finds: $1" "$2" "$out"
}
cp "$R/etc/nsswitch.conf" "$SANDBOX/nsswitch.good"
sed -i 's/^hosts:.*/hosts: files dns/' "$R/etc/nsswitch.conf"
mistake "module missing from the hosts line" \
	"^/etc/nsswitch.conf: mxfallback is not on the hosts: line: .*hosts: files mxfallback \\[!UNAVAIL=return\\] dns$"
sed -i 's/^hosts:.*/hosts: files dns mxfallback/' "$R/etc/nsswitch.conf"
mistake "module after dns" "^/etc/nsswitch.conf: mxfallback comes after dns on the hosts: line: .*put mxfallback before dns$"
sed -i 's/^hosts:.*/hosts: files mxfallback dns/' "$R/etc/nsswitch.conf"
mistake "module before dns without [!UNAVAIL=return]" \
	"^/etc/nsswitch.conf: mxfallback is not followed by \\[!UNAVAIL=return\\]: .*hosts: files mxfallback \\[!UNAVAIL=return\\] dns$"
cp "$SANDBOX/nsswitch.good" "$R/etc/nsswitch.conf"
sed -i 's/^\([[:space:]]*enable-cache[[:space:]]*hosts[[:space:]]*\)no/\1yes/' "$R/etc/nscd.conf"
mistake "mx_programs with nscd's hosts cache" \
	"^/etc/nscd.conf: enable-cache hosts yes together with mx_programs .*set enable-cache hosts no, or mx_programs \\*$"
sed -i 's/^\([[:space:]]*enable-cache[[:space:]]*hosts[[:space:]]*\)yes/\1no/' "$R/etc/nscd.conf"
in_root postconf -e smtp_host_lookup=dns
mistake "smtp_host_lookup not native" "^/etc/postfix/main.cf: smtp_host_lookup = dns: .*set smtp_host_lookup = native$"
in_root postconf -e smtp_host_lookup=native
in_root postconf -X disable_dns_lookups
mistake "disable_dns_lookups missing" "^/etc/postfix/main.cf: disable_dns_lookups = no: .*set disable_dns_lookups = yes$"
in_root postconf -e disable_dns_lookups=yes
mv "$R/var/spool/postfix/etc/nss_mxfallback.conf" "$SANDBOX/chroot.conf"
mistake "smtp chrooted without the config inside" \
	"^/etc/nss_mxfallback.conf: smtp runs chrooted \\(master.cf line [0-9]+\\) and /etc/nss_mxfallback.conf is not inside /var/spool/postfix: .*chroot_extra_files=\"/etc/nss_mxfallback.conf\" to /etc/default/postfix, then systemctl restart postfix$"
mv "$SANDBOX/chroot.conf" "$R/var/spool/postfix/etc/nss_mxfallback.conf"
cp "$R/etc/nss_mxfallback.conf" "$SANDBOX/conf.good"
printf '# site names\n127.0.0.6 printsrv\n' >"$R/etc/lmhosts.site"
chmod 600 "$R/etc/lmhosts.site"
echo 'lmhosts /etc/lmhosts.site' >>"$R/etc/nss_mxfallback.conf"
mistake "an LMHOSTS file only root can read" \
	"^/etc/nss_mxfallback.conf: lmhosts /etc/lmhosts.site is not readable by other users \\(mode 0600\\): .*chmod 644 /etc/lmhosts.site$"
rm "$R/etc/lmhosts.site"
mistake "an LMHOSTS path that does not exist" \
	"^/etc/nss_mxfallback.conf: lmhosts /etc/lmhosts.site cannot be read \\(No such file or directory\\): "
cp "$SANDBOX/conf.good" "$R/etc/nss_mxfallback.conf"
echo 'mx_targets sometimes' >>"$R/etc/nss_mxfallback.conf"
mistake "a config that does not parse, with file and line" \
	"^/etc/nss_mxfallback.conf:$(wc -l <"$R/etc/nss_mxfallback.conf"): mx_targets must be best or all: every lookup returns UNAVAIL until this is fixed$"
cp "$SANDBOX/conf.good" "$R/etc/nss_mxfallback.conf"
echo 'stages mx a wins bcast lmhosts' >>"$R/etc/nss_mxfallback.conf"
mistake "stage bcast listed without an address" \
	"^/etc/nss_mxfallback.conf: stage bcast is listed but no bcast_address is set: .*add bcast_address auto"
echo 'bcast_address auto' >>"$R/etc/nss_mxfallback.conf"
# (the chroot's copy must match, as a restart of Postfix would make it)
cp "$R/etc/nss_mxfallback.conf" "$R/var/spool/postfix/etc/nss_mxfallback.conf"
expect "--check: stage bcast with bcast_address auto is fine (exit 0)" "status 0" \
	"$(check; echo "status $?")"
cp "$SANDBOX/conf.good" "$R/etc/nss_mxfallback.conf"
cp "$SANDBOX/conf.good" "$R/var/spool/postfix/etc/nss_mxfallback.conf"
mkdir -p "$R/etc/exim4"
printf 'begin routers\ndnslookup:\n  driver = dnslookup\n  domains = ! +local_domains\n  transport = remote_smtp\n' \
	>"$R/etc/exim4/exim4.conf"
mistake "Exim routing with dnslookup" \
	"^/etc/exim4/exim4.conf: Exim routes with a dnslookup router, .*route_list = \\* \\\$domain byname$"
printf 'begin routers\nbyname:\n  driver = manualroute\n  route_list = * $domain byname\n  transport = remote_smtp\n' \
	>"$R/etc/exim4/exim4.conf"
expect "--check: Exim with a manualroute byname router is fine (exit 0)" "status 0" \
	"$(check; echo "status $?")"
mkdir -p "$SANDBOX/tree/etc"
printf 'hosts: files dns\n' >"$SANDBOX/tree/etc/nsswitch.conf"
expect "--check --root DIR: reads the files below DIR" \
	"$SANDBOX/tree/etc/nsswitch.conf: mxfallback is not on the hosts: line: no program uses the module; put it before dns: hosts: files mxfallback [!UNAVAIL=return] dns status 1" \
	"$("$R/usr/bin/mxfallback-query" --check --root "$SANDBOX/tree" 2>&1 | tr '\n' ' '; echo "status ${PIPESTATUS[0]}")"

[ "$tap_failed" -eq 0 ] || tail -n 30 "$SANDBOX/postfix.log" "$R/var/log/postfix-test.log" | sed 's/^/# /'

umount -R "$R" 2>/dev/null || umount -l "$R"
tap_done
