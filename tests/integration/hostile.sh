#!/bin/bash
# Hostile and broken DNS servers: tests/client/dns_responder answers on
# 127.0.0.1:53 inside the namespace with wrong IDs, replies from a wrong
# port or address, answers for another name, compression-pointer loops and
# pointers out of bounds, names over 255 bytes, counts that lie, truncated
# packets, CNAME loops, 20-deep chains, 1000 A records, late replies and
# none at all.  Each case: the exact status, and never the wrong address
# 192.0.2.66; with "stages a" the module must say what nss_dns says.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
"$top_builddir/tests/client/dns_responder" 53 </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
sleep 0.3
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:2\n' >"$SANDBOX/resolv.conf"
call() { "$NSSCALL" "$MODULE" "$@"; }
dns_says() { NSSCALL_PREFIX=_nss_dns_ "$NSSCALL" libc.so.6 "$@"; }
# Once the mx stage has decided, the module never says UNAVAIL (nss.c: the
# next source would answer with the domain's own address); h_errno and
# errno stay what nss_dns says.
mx_final() { sed 's/^status=UNAVAIL /status=NOTFOUND /'; }
ms() { date +%s%3N; }

check() { # check MODE EXPECTED
	local out
	use_config "stages mx a"
	out=$(call 3 "$1.hostile.test." inet)
	expect "$1: mx then a" "$2" "$out"
	case "$out" in *192.0.2.66*) not_ok "$1: the wrong address was returned" ;; esac
	use_config "stages a"
	expect "$1: a stage alone says what nss_dns says" \
		"$(dns_says 3 "$1.hostile.test." inet)" "$(call 3 "$1.hostile.test." inet)"
}

check good "status=SUCCESS errno=0 herrno=0 ttl=60 canon=good.hostile.test name=good.hostile.test aliases= addrs=192.0.2.200"
for mode in wrongid wrongport wrongaddr othername; do
	check "$mode" "status=SUCCESS errno=0 herrno=0 ttl=60 canon=$mode.hostile.test name=$mode.hostile.test aliases= addrs=192.0.2.201"
done
for mode in ptrloop ptroob longname countlie truncated; do
	# The MX reply is broken the same way: final, h_errno as nss_dns's.
	check "$mode" "status=NOTFOUND errno=0 herrno=NO_RECOVERY"
done
check cnameloop "status=TRYAGAIN errno=ENOENT herrno=NO_RECOVERY"
# dns_responder's chain: chain20 -> c1 -> ... -> c20, which has the address.
chain_aliases="chain20.hostile.test,$(seq 1 19 | sed 's/^/c/; s/$/.hostile.test/' | paste -sd, -)"
check chain20 "status=SUCCESS errno=0 herrno=0 ttl=60 canon=c20.hostile.test name=c20.hostile.test aliases=$chain_aliases addrs=192.0.2.204"
use_config "stages mx a"
out=$(call 3 many.hostile.test. inet 65536)
expect "1000 A records: the first 64 are returned" \
	"$(seq 0 63 | sed 's/^/10.0.0./' | paste -sd, -)" "$(echo "$out" | sed 's/.*addrs=//')"
check servfail "status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN"

# Issue 12, item 4.  An MX reply unusable as a whole: h_errno and errno
# nss_dns gives for a malformed answer (the ptrloop case above, from
# nss_dns itself), final, never the domain's own address.
use_config "stages mx a"
expect "MX reply with a broken MX record: what nss_dns says for a malformed answer, final" \
	"$(dns_says 3 ptrloop.hostile.test. inet | mx_final)" "$(call 3 badmx.hostile.test. inet)"
expect "MX reply with a broken MX record, AF_UNSPEC: the same, never the domain's A" \
	"$(dns_says 4 ptrloop.hostile.test. | mx_final)" "$(call 4 badmx.hostile.test.)"
# A broken glue record the answer does not need (AAAA of 4 bytes) is skipped:
# the good A glue record of the same exchanger is the answer.
expect "MX reply with a 4-byte AAAA glue record: the exchanger's A glue" \
	"status=SUCCESS errno=0 herrno=0 ttl=60 canon=mx.badglue.hostile.test name=mx.badglue.hostile.test aliases=badglue.hostile.test addrs=192.0.2.205" \
	"$(call 3 badglue.hostile.test. inet)"
use_config "stages mx a"
t0=$(ms)
out=$(call 3 slow.hostile.test. inet)
elapsed=$(($(ms) - t0))
expect "a reply later than the timeout: TRY_AGAIN (final: NOTFOUND), never the late address" \
	"status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN" "$out"
expect_match "a late server costs timeout x attempts (2 s) once: the a stage is skipped" \
	"^(19[0-9][0-9]|2[0-9][0-9][0-9])$" "$elapsed"
t0=$(ms)
out=$(call 3 silent.hostile.test. inet)
elapsed=$(($(ms) - t0))
expect "no reply at all: TRY_AGAIN (final: NOTFOUND)" "status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN" "$out"
expect_match "no reply at all: bounded by timeout x attempts (2 s)" "^(19[0-9][0-9]|2[0-9][0-9][0-9])$" "$elapsed"

tap_done
