#!/bin/bash
# The mx and a stages against a real DNS server: NSD serves the zones in
# zones/ on 127.0.0.1:53 inside a private network + mount namespace, and the
# real getent, getaddrinfo and every entry point of the built module (via
# nsscall) resolve names through nsswitch.conf's "hosts: mxfallback".
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require getent nsd dig
start_logsink
start_nsd

call() { "$NSSCALL" "$MODULE" "$@"; }
# getent ahostsv4 sets AI_ADDRCONFIG, which finds no IPv4 but loopback here:
# take the IPv4 lines of getent ahosts (AF_UNSPEC, gethostbyname4_r) instead.
v4() { getent ahosts "$1" | awk '$2 == "STREAM" && $1 !~ /:/ { print $1 }' | paste -sd, -; }

# --- mx stage -------------------------------------------------------------
expect "getent: MX answer is the best exchanger, not the domain's own A" \
	"192.0.2.11" "$(v4 mxdom.example.test)"
expect "getent hosts: IPv6 of the best exchanger, domain as alias" \
	"2001:db8::11    mx1.mxdom.example.test mxdom.example.test" "$(getent hosts mxdom)"
expect "3_r: h_name is the exchanger, the domain an alias, TTL of the records" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=mx1.mxdom.example.test name=mx1.mxdom.example.test aliases=mxdom.example.test addrs=192.0.2.11" \
	"$(call 3 mxdom.example.test inet)"
expect "4_r: both families of the best exchanger, name on the tuples" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 name=mx1.mxdom.example.test addrs=192.0.2.11,2001:db8::11" \
	"$(call 4 mxdom.example.test)"
expect "gethostbyname_r: IPv4 only" \
	"status=SUCCESS errno=0 herrno=0 name=mx1.mxdom.example.test aliases=mxdom.example.test addrs=192.0.2.11" \
	"$(call 1 mxdom.example.test)"
expect "2_r inet6" \
	"status=SUCCESS errno=0 herrno=0 name=mx1.mxdom.example.test aliases=mxdom.example.test addrs=2001:db8::11" \
	"$(call 2 mxdom.example.test inet6)"
expect "a trailing dot means absolute" "192.0.2.11" "$(v4 mxdom.example.test.)"
expect "getaddrinfo AI_CANONNAME gets the exchanger's name" \
	"gai=0 canon=mx1.mxdom.example.test addrs=192.0.2.11" "$("$NSSCALL" gai mxdom.example.test inet)"

seen=""
for _ in $(seq 40); do
	seen="$seen $(call 3 equal.example.test inet | sed 's/.* name=\([^ ]*\).*/\1/')"
done
expect_match "equal preferences: the first exchanger is chosen at random (e1)" "e1.equal" "$seen"
expect_match "equal preferences: the first exchanger is chosen at random (e2)" "e2.equal" "$seen"
expect "equal preferences: both exchangers' addresses" "192.0.2.21,192.0.2.22" \
	"$(call 3 equal.example.test inet | sed 's/.*addrs=//' | tr , '\n' | sort | paste -sd, -)"

q0=$(dns_queries)
expect "MX with glue: the additional section is used" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=mx1.mxdom.example.test name=mx1.mxdom.example.test aliases=mxdom.example.test addrs=192.0.2.11" \
	"$(call 3 mxdom.example.test inet)"
# MX first (README): the MX query, whose reply carries the glue; no A query.
expect "MX with glue: exactly one query" 1 $(($(dns_queries) - q0))
q0=$(dns_queries)
expect "MX without glue: the exchanger's address is asked for" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=mail.other.test name=mail.other.test aliases=noglue.example.test addrs=198.51.100.200" \
	"$(call 3 noglue.example.test inet)"
expect "MX without glue: the MX, then the exchanger's A" 2 $(($(dns_queries) - q0))

expect "null MX: not found, no fallback to the A record" \
	"status=NOTFOUND errno=0 herrno=NO_DATA" "$(call 3 nullmx.example.test inet)"
getent hosts nullmx.example.test >/dev/null
expect "null MX: getent exits 2" 2 $?
expect "MX to a missing host: IMS falls back to the A record" \
	"192.0.2.50" "$(v4 missing.example.test)"
expect "MX to a CNAME: followed" "192.0.2.60" "$(v4 mxcname.example.test)"
expect "AAAA-only exchanger answers IPv6" \
	"status=SUCCESS errno=0 herrno=0 name=mx.v6only.example.test aliases=v6only.example.test addrs=2001:db8::70" \
	"$(call 2 v6only.example.test inet6)"
expect "AAAA-only exchanger: an IPv4 lookup falls back to the domain's A" \
	"status=SUCCESS errno=0 herrno=0 name=v6only.example.test aliases= addrs=192.0.2.71" \
	"$(call 2 v6only.example.test inet)"
expect "AAAA-only exchanger: getaddrinfo(AF_UNSPEC) gets the exchanger" \
	"gai=0 canon=mx.v6only.example.test addrs=2001:db8::70" \
	"$("$NSSCALL" gai v6only.example.test unspec)"
expect "TTL: the smallest one used" \
	"status=SUCCESS errno=0 herrno=0 ttl=60 name=mx.ttl.example.test addrs=192.0.2.95" \
	"$(call 4 ttl.example.test)"
expect "30 MX records: reply over TCP, best one used" "198.51.100.1" "$(v4 big.example.test)"

# --- a stage --------------------------------------------------------------
expect "no MX: the name's own addresses (implicit MX)" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 name=plain.example.test addrs=192.0.2.90,2001:db8::90" \
	"$(call 4 plain)"
expect "CNAME chain: canonical name and aliases as nss_dns gives them" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=host.example.test name=host.example.test aliases=www.example.test,www2.example.test addrs=192.0.2.80" \
	"$(call 3 www.example.test inet)"
expect "CNAME to a name without AAAA: TRYAGAIN, ENOENT, NO_RECOVERY, as nss_dns says" \
	"status=TRYAGAIN errno=ENOENT herrno=NO_RECOVERY" "$(call 3 v4alias.example.test inet6)"
expect "CNAME to a missing name: HOST_NOT_FOUND" \
	"status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 3 dangling.example.test inet)"
expect "NXDOMAIN: HOST_NOT_FOUND" \
	"status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 4 nosuch.example.test)"
expect "NXDOMAIN: getaddrinfo EAI_NONAME" "gai=EAI_NONAME" "$("$NSSCALL" gai nosuch unspec)"
expect "unsupported family: UNAVAIL, EAFNOSUPPORT" \
	"status=UNAVAIL errno=EAFNOSUPPORT herrno=NO_DATA" "$(call 3 plain.example.test 0)"

# --- temporary failures ---------------------------------------------------
expect "SERVFAIL while searching: NOTFOUND, h_errno TRY_AGAIN, errno EAGAIN" \
	"status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN" "$(call 3 x.broken.test inet)"
# The MX query's SERVFAIL is the mx stage's verdict: final, so NOTFOUND
# where nss_dns says UNAVAIL (below: the a stage alone says exactly that).
expect "SERVFAIL for an absolute name: the MX query's failure is final: NOTFOUND, TRY_AGAIN, EAGAIN" \
	"status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN" "$(call 3 x.broken.test. inet)"
use_config "stages a"
expect "SERVFAIL for an absolute name, stages a: UNAVAIL, TRY_AGAIN, EAGAIN as nss_dns" \
	"$(NSSCALL_PREFIX=_nss_dns_ "$NSSCALL" libc.so.6 3 x.broken.test. inet)" "$(call 3 x.broken.test. inet)"
use_config ""
expect "SERVFAIL: getaddrinfo EAI_AGAIN" "gai=EAI_AGAIN" "$("$NSSCALL" gai x.broken.test unspec)"
# mxfail.example.test is asked through the search list; its exchanger's
# zone fails.  Expected: what nss_dns says when a searched name meets
# SERVFAIL (NOTFOUND, TRY_AGAIN), never the domain's own 192.0.2.99, and
# never UNAVAIL, on which nsswitch.conf's default action would hand the
# name to the next source (dns: the domain's own address).
expect "SERVFAIL for the exchanger: what nss_dns says for a searched SERVFAIL, never the domain's A" \
	"$(NSSCALL_PREFIX=_nss_dns_ "$NSSCALL" libc.so.6 3 x.broken.test inet)" \
	"$(call 3 mxfail.example.test inet)"
expect "SERVFAIL for the exchanger: getaddrinfo EAI_AGAIN" "gai=EAI_AGAIN" \
	"$("$NSSCALL" gai mxfail.example.test unspec)"
# Where no MX is involved the module must say exactly what glibc's own dns
# module says: its entry points are called from libc.so.6 side by side.
# (x.broken.test.'s MX query fails, which is final: UNAVAIL reads NOTFOUND.)
dns_says() {
	NSSCALL_PREFIX=_nss_dns_ "$NSSCALL" libc.so.6 "$@" | sed 's/herrno=HOST_NOT_FOUND ttl/herrno=0 ttl/' |
		if [ "$2" = x.broken.test. ]; then sed 's/^status=UNAVAIL /status=NOTFOUND /'; else cat; fi
}
for name in x.broken.test x.broken.test. nosuch.example.test nosuch plain plain.example.test \
	www.example.test v4alias.example.test dangling.example.test; do
	for args in "3 $name inet" "3 $name inet6" "4 $name" "1 $name"; do
		# shellcheck disable=SC2086
		expect "same status, errno, h_errno and answer as nss_dns: $args" \
			"$(dns_says $args)" "$(call $args)"
	done
	ours=$("$NSSCALL" gai "$name" unspec; "$NSSCALL" ghbn "$name" inet6)
	use_nsswitch dns
	theirs=$("$NSSCALL" gai "$name" unspec; "$NSSCALL" ghbn "$name" inet6)
	use_nsswitch mxfallback
	expect "same getaddrinfo and gethostbyname2 result as nss_dns: $name" "$theirs" "$ours"
done
use_config "dns_server 127.0.0.1:5399"
expect "no DNS server listening: TRY_AGAIN (the MX query's failure is final: NOTFOUND)" \
	"status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN" "$(call 4 mxdom.example.test)"
expect "no DNS server listening: getaddrinfo EAI_AGAIN" "gai=EAI_AGAIN" \
	"$("$NSSCALL" gai mxdom.example.test unspec)"

# --- config ---------------------------------------------------------------
printf 'nameserver 127.0.0.2\nsearch example.test\noptions timeout:1 attempts:1\n' \
	>"$SANDBOX/resolv.conf"
use_config "dns_server 127.0.0.1"
expect "dns_server replaces resolv.conf's servers" "192.0.2.11" "$(v4 mxdom)"
use_config "dns_server [::1]:53"
expect "dns_server over IPv6" "192.0.2.11" "$(v4 mxdom)"
printf 'nameserver 127.0.0.1\nsearch example.test\noptions timeout:1 attempts:2\n' \
	>"$SANDBOX/resolv.conf"
use_config "mx_targets all"
expect "mx_targets all: every exchanger, best first" "192.0.2.11,192.0.2.12" \
	"$(call 3 mxdom.example.test inet | sed 's/.*addrs=//')"
use_config "mx_targets all" "mx_max_hosts 1"
expect "mx_max_hosts caps the exchangers" "192.0.2.11" \
	"$(call 3 mxdom.example.test inet | sed 's/.*addrs=//')"
use_config "mx_targets all" "mx_max_hosts 100"
expect "mx_targets all over TCP: all 30 exchangers" 30 \
	"$(call 3 big.example.test inet 65536 | sed 's/.*addrs=//' | tr , '\n' | wc -l)"
use_config "stages a"
expect "stages a: the domain's own A record" "192.0.2.1" "$(v4 mxdom.example.test)"
use_config "mx_programs postfix smtp"
expect "mx_programs: getent is not a mail program, gets the A record" "192.0.2.1" \
	"$(v4 mxdom.example.test)"
cp "$NSSCALL" "$SANDBOX/smtp"
expect "mx_programs: a program called smtp gets the MX answer" \
	"gai=0 canon=mx1.mxdom.example.test addrs=192.0.2.11" \
	"$("$SANDBOX/smtp" gai mxdom.example.test inet)"
use_config "stages mx a wins lmhosts" "mx_targets best"
expect "config changes are seen at the next lookup" "192.0.2.11" "$(v4 mxdom.example.test)"

use_config "no_such_key yes"
expect "broken config: UNAVAIL" "status=UNAVAIL errno=0 herrno=NO_RECOVERY" \
	"$(call 4 mxdom.example.test)"
: >"$SANDBOX/syslog"
getent hosts mxdom.example.test >"$SANDBOX/out" 2>&1
wait_for_syslog "mxf.conf:1: unknown key"
expect "broken config: one syslog error naming file and line, for a process' lookups" \
	"1" "$(grep -c "getent: nss_mxfallback: $SANDBOX/mxf.conf:1: unknown key 'no_such_key'" "$SANDBOX/syslog")"
expect "broken config: nothing on stdout or stderr" "" "$(cat "$SANDBOX/out")"
printf '192.0.2.250 mxdom.example.test\n' >"$SANDBOX/hosts"
mount --bind "$SANDBOX/hosts" /etc/hosts
use_nsswitch "mxfallback files"
expect "broken config: the next source on the hosts line answers" "192.0.2.250" \
	"$(v4 mxdom.example.test)"
use_nsswitch "mxfallback"
use_config ""
: >"$SANDBOX/syslog"
getent hosts mxdom.example.test >/dev/null
sleep 0.3
expect "debug off: nothing in syslog" "" "$(cat "$SANDBOX/syslog")"
use_config "debug yes"
getent hosts missing.example.test >/dev/null
wait_for_syslog "stage a: found"
expect_match "debug yes: a line per stage outcome (mx)" \
	"nss_mxfallback: missing.example.test \(family 10\): stage mx: no data, 0 addresses" \
	"$(cat "$SANDBOX/syslog")"
expect_match "debug yes: a line per stage outcome (a)" \
	"nss_mxfallback: missing.example.test \(family 2\): stage a: found, 1 addresses" \
	"$(cat "$SANDBOX/syslog")"
use_config ""

# --- buffers --------------------------------------------------------------
q0=$(dns_queries)
expect "ERANGE: glibc's buffer doubling ends in the same answer" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 name=mx1.mxdom.example.test addrs=192.0.2.11,2001:db8::11 calls=5" \
	"$(call grow4 mxdom.example.test 8)"
expect "ERANGE: the retries send no new query (one lookup: the MX, with glue)" 1 $(($(dns_queries) - q0))
expect "ERANGE from 3_r: TRYAGAIN, errno ERANGE, h_errno NETDB_INTERNAL" \
	"status=TRYAGAIN errno=ERANGE herrno=NETDB_INTERNAL" "$(call 3 mxdom.example.test inet 16)"
expect "ERANGE from 4_r: TRYAGAIN, errno ERANGE, h_errno NETDB_INTERNAL" \
	"status=TRYAGAIN errno=ERANGE herrno=NETDB_INTERNAL" "$(call 4 mxdom.example.test 8)"

# --- memory ---------------------------------------------------------------
if [ -n "$MXF_SANITIZED" ]; then
	omitted "dns.sh valgrind checks in the sanitizer tree: ASan checks memory there"
elif ! command -v valgrind >/dev/null; then
	not_ok "valgrind is installed (tests/install-deps installs it)"
else
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions="$top_srcdir/tests/valgrind.supp" \
		getent ahosts mxdom.example.test >/dev/null 2>"$SANDBOX/vg.log"
	expect "valgrind: getent ahosts through the module, no errors or leaks" 0 $?
	sed 's/^/# /' "$SANDBOX/vg.log"
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--suppressions="$top_srcdir/tests/valgrind.supp" \
		"$NSSCALL" "$MODULE" grow4 big.example.test 8 >/dev/null 2>"$SANDBOX/vg.log"
	expect "valgrind: ERANGE retries over TCP, no errors or leaks" 0 $?
	sed 's/^/# /' "$SANDBOX/vg.log"
	# The stage suites with lookups cancelled in a DNS query, a WINS wait and
	# a broadcast (ASan cannot check those: tests/stages/main.c): a cleanup
	# that ran over a gone stack frame showed here as invalid reads.
	for suite in "a stage" wins; do
		CK_RUN_SUITE="$suite" CK_VERBOSITY=silent valgrind -q --error-exitcode=9 \
			"$top_builddir/tests/stages/check_stages" >/dev/null 2>"$SANDBOX/vg.log"
		expect "valgrind: the $suite suite's cases, cancelled lookups included, no errors" 0 $?
		sed 's/^/# /' "$SANDBOX/vg.log"
	done
fi

tap_done
