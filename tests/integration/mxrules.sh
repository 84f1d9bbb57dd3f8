#!/bin/bash
# The mx stage's rules (issue 12, nss_mxfallback/mxpolicy.h) against a real
# NSD serving zones/mxrules.test.zone: one zone shape per rule, its answer
# taken literally from the zone file, and where a rule says "no query", the
# number of queries NSD itself counted (nsd-control stats), never the
# module's own trace.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require getent nsd dig nsd-control
start_nsd

call() { "$NSSCALL" "$MODULE" "$@"; }
gai() { "$NSSCALL" gai "$@"; }
# NSD's statistic num.STAT (queries, type.A, ...) since it started.
nsd_count() {
	"${UNSANITIZED[@]}" nsd-control -c "$SANDBOX/nsd.conf" stats_noreset |
		sed -n "s/^num\\.${1:-queries}=//p"
}
# queries STAT COMMAND...: runs COMMAND and prints how much NSD's num.STAT
# (type.A: A queries; queries: all) grew meanwhile.
queries() {
	local type=$1 before
	shift
	before=$(nsd_count "$type")
	"$@" >/dev/null
	echo $(($(nsd_count "$type") - before))
}
R=mxrules.test
# A temporary failure after the mx stage has decided: TRY_AGAIN, and NOTFOUND,
# never UNAVAIL (the next source on the hosts: line would answer instead).
TRY_AGAIN='^status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN$'

# --- issue 1: "best" means the best exchangers that have an address -------
expect "issue 1: best exchanger NXDOMAIN (typo): the backup, named, the domain an alias" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=backup.d1.$R name=backup.d1.$R aliases=d1.$R addrs=192.0.2.12" \
	"$(call 3 d1.$R inet)"
expect "issue 1: the same through getaddrinfo" "gai=0 canon=backup.d1.$R addrs=192.0.2.12" \
	"$(gai d1.$R inet)"
expect "issue 1: the typo'd exchanger is asked once (A), the domain's own A never" 1 \
	"$(queries type.A call 3 d1.$R inet)"
expect "best exchanger without an address (NODATA): the backup" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=mx2.nodata.$R name=mx2.nodata.$R aliases=nodata.$R addrs=192.0.2.14" \
	"$(call 3 nodata.$R inet)"
expect "equal preferences, one with an address: that one, never the worse preference" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=mx.someeq.$R name=mx.someeq.$R aliases=someeq.$R addrs=192.0.2.16" \
	"$(call 3 someeq.$R inet)"
expect "equal preferences: the exchanger without glue is asked, once per lookup" 1 \
	"$(queries type.A call 3 someeq.$R inet)"

# --- issue 2: a null MX anywhere in the set ---------------------------------
expect "issue 2: null MX next to a real MX: not found, NO_DATA" \
	"status=NOTFOUND errno=0 herrno=NO_DATA" "$(call 3 d2.$R inet)"
expect "issue 2: AF_UNSPEC likewise" "status=NOTFOUND errno=0 herrno=NO_DATA" "$(call 4 d2.$R)"
expect "issue 2: only the MX query is sent (no A/AAAA)" 1 "$(queries queries call 4 d2.$R)"
getent hosts d2.$R >/dev/null
expect "issue 2: getent exits 2" 2 $?

# --- issue 3: address literals and localhost ---------------------------------
expect "issue 3: IPv4 literal exchanger: that address" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=192.0.2.25 name=192.0.2.25 aliases=d3.$R addrs=192.0.2.25" \
	"$(call 3 d3.$R inet)"
expect "issue 3: IPv4 literal: only the MX query is sent" 1 "$(queries queries call 3 d3.$R inet)"
expect "IPv4 literal asked for IPv6: an exchanger without an address, so the IMS fallback" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=d3.$R name=d3.$R aliases= addrs=2001:db8::31" \
	"$(call 3 d3.$R inet6)"
expect "IPv4 literal, AF_UNSPEC: the literal only" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 name=192.0.2.25 addrs=192.0.2.25" "$(call 4 d3.$R)"
expect "IPv6 literal exchanger asked for IPv6: that address, no query but the MX" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=2001:db8::25 name=2001:db8::25 aliases=v6lit.$R addrs=2001:db8::25" \
	"$(call 3 v6lit.$R inet6)"
expect "IPv6 literal: only the MX query is sent" 1 "$(queries queries call 3 v6lit.$R inet6)"
expect "issue 3: localhost exchanger, IPv4: 127.0.0.1" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=localhost name=localhost aliases=d4.$R addrs=127.0.0.1" \
	"$(call 3 d4.$R inet)"
expect "issue 3: localhost exchanger, IPv6: ::1" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=localhost name=localhost aliases=d4.$R addrs=::1" \
	"$(call 3 d4.$R inet6)"
expect "issue 3: localhost: only the MX query is sent, for both families" 1 \
	"$(queries queries call 4 d4.$R)"
expect "a name under .localhost: loopback too" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 name=mail.localhost addrs=127.0.0.1,::1" \
	"$(call 4 underlocal.$R)"

# --- temporary failures --------------------------------------------------------
expect_match "exchanger SERVFAIL, no backup: TRY_AGAIN, never the domain's A" "$TRY_AGAIN" \
	"$(call 3 tempfail.$R inet)"
expect "exchanger SERVFAIL: getaddrinfo EAI_AGAIN" "gai=EAI_AGAIN" "$(gai tempfail.$R unspec)"
expect "exchanger SERVFAIL, backup has an address: the backup (as Postfix)" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=backup.tempbackup.$R name=backup.tempbackup.$R aliases=tempbackup.$R addrs=192.0.2.63" \
	"$(call 3 tempbackup.$R inet)"

# --- no exchanger has an address: mx_fallback ---------------------------------
expect "no exchanger has an address, mx_fallback a (default): the domain's own A (IMS)" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=noaddr.$R name=noaddr.$R aliases= addrs=192.0.2.71" \
	"$(call 3 noaddr.$R inet)"
use_config "mx_fallback none"
expect "mx_fallback none: not found, NO_DATA" "status=NOTFOUND errno=0 herrno=NO_DATA" \
	"$(call 3 noaddr.$R inet)"
expect "mx_fallback none: two A queries, the exchangers' (the domain's own A would be a third)" 2 \
	"$(queries type.A call 3 noaddr.$R inet)"
expect_match "mx_fallback none, exchanger SERVFAIL: still TRY_AGAIN" "$TRY_AGAIN" \
	"$(call 3 tempfail.$R inet)"
expect "mx_fallback none, a backup with an address: the backup" \
	"gai=0 canon=mx2.nodata.$R addrs=192.0.2.14" "$(gai nodata.$R inet)"
use_config ""

# --- CNAME exchangers ---------------------------------------------------------
expect "CNAME exchanger: its address, named as the MX names it" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=alias.cname.$R name=alias.cname.$R aliases=cname.$R addrs=192.0.2.81" \
	"$(call 3 cname.$R inet)"
expect "CNAME exchanger to nothing: skipped for the backup" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=backup.cnamenowhere.$R name=backup.cnamenowhere.$R aliases=cnamenowhere.$R addrs=192.0.2.83" \
	"$(call 3 cnamenowhere.$R inet)"

# --- mx_targets and mx_max_hosts -----------------------------------------------
expect "best over four preferences: the first" "192.0.2.91" \
	"$(call 3 levels.$R inet | sed 's/.*addrs=//')"
use_config "mx_targets all"
expect "mx_targets all: every exchanger with an address, best first" \
	"192.0.2.91,192.0.2.93,192.0.2.94" "$(call 3 levels.$R inet | sed 's/.*addrs=//')"
use_config "mx_targets all" "mx_max_hosts 2"
expect "mx_max_hosts 2: two exchangers with addresses (the one without does not count)" \
	"192.0.2.91,192.0.2.93" "$(call 3 levels.$R inet | sed 's/.*addrs=//')"
use_config ""

tap_done
