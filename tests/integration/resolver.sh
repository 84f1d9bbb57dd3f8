#!/bin/bash
# The DNS layer against glibc's own dns module (issue 13): every expected
# value is what _nss_dns_* (exported from libc.so.6) answers for the same
# name, resolv.conf and server, or a literal of the zone.  NSD serves
# zones/ on 127.0.0.1:53; tests/client/dns_responder and nbns_responder play
# silent servers on loopback.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require nsd dig
start_nsd
call() { "$NSSCALL" "$MODULE" "$@"; }
dns_says() { NSSCALL_PREFIX=_nss_dns_ "$NSSCALL" libc.so.6 "$@"; }
ms() { date +%s%3N; }
resolv() { printf '%s\n' "nameserver 127.0.0.1" "$@" >"$SANDBOX/resolv.conf"; }

# differences LABEL "CALL|CALL..." NAME...: each call of each name through
# nss_dns and through the module; prints the count that differ, and each
# difference as a TAP comment on stderr.
differences() {
	local label=$1 calls=$2 n=0 name call theirs ours calls_a
	shift 2
	for name in "$@"; do
		IFS='|' read -ra calls_a <<<"$calls"
		for call in "${calls_a[@]}"; do
			set -- $call
			theirs=$(dns_says "$1" "$name" ${2:+"$2"} | norm)
			ours=$(call "$1" "$name" ${2:+"$2"})
			if [ "$theirs" != "$ours" ]; then
				n=$((n + 1))
				echo "# $label $1_r ${2:-} '$name': nss_dns: $theirs" >&2
				echo "#   module:  $ours" >&2
			fi
		done
	done
	echo "$n"
}

# Whether res_search asks NAME as written before the search list under
# SHAPE's resolv.conf: relative, with at least ndots dots (resolv/res_query.c).
as_written_first() {
	local ndots dots
	case "$1" in *.) return 1 ;; esac
	ndots=$(printf '%s\n' "$2" | grep -o 'ndots:[0-9]*' | cut -d: -f2)
	dots=$(printf '%s' "$1" | tr -cd . | wc -c)
	[ "$dots" -ge "${ndots:-1}" ] && [ "$("$NSSCALL" searchlist)" != "search=none" ]
}

# --- names res_hnok refuses -------------------------------------------------
# glibc 2.36's gethostbyname4_r, 2_r and 1_r send nothing for them;
# gethostbyname3_r sends them (measured: NSD counts its queries).
use_config "stages mx a"
for name in 'a..b' 'foo bar' 'x_y!.test' '-a.example.test' '*.example.test'; do
	for args in "4" "2 inet" "1" "3 inet"; do
		set -- $args
		q0=$(dns_queries)
		theirs=$(dns_says "$1" "$name" ${2:+"$2"})
		q1=$(dns_queries)
		ours=$(call "$1" "$name" ${2:+"$2"})
		q2=$(dns_queries)
		expect "res_hnok '$name' ($1_r): what nss_dns says" "$theirs" "$ours"
		# 3_r sends the name: the MX walk asks what nss_dns's A walk asks;
		# a name asked as written first is asked so alone before (its
		# NXDOMAIN: res_search walks, that name again included), and that
		# walk's NXDOMAIN may hide a name without MX, so nss_dns's walk
		# follows (mx.c).
		want=$((q1 - q0))
		if [ "$1" = 3 ] && [ "$want" -gt 0 ] && as_written_first "$name" ""; then want=$((1 + 2 * want)); fi
		expect "res_hnok '$name' ($1_r): the queries nss_dns sent (1 + twice for 3_r asked as written first)" \
			"$want" "$((q2 - q1))"
	done
done

# --- the module with "stages a" is nss_dns ------------------------------------
# resolv.conf shapes (search lists of 1, 6, 7 and 8 domains, where only the
# last exists; "search ."; "domain"; ndots; rotate; attempts; HOSTALIASES)
# x names x the four entry points: status, errno, h_errno, addresses,
# canonical name and aliases as _nss_dns_* gives them.  nss_dns leaves a
# stale h_errno on a 4_r success, the module says 0: that alone is evened.
norm() { sed 's/herrno=[A-Z_]* ttl/herrno=0 ttl/'; }
d() { seq "$1" | sed 's/^/d/; s/$/.test/' | paste -sd' ' -; }
printf 'myalias plain.example.test\n' >"$SANDBOX/hostaliases"
shapes=(
	"nameserver 127.0.0.1"
	"nameserver 127.0.0.1|search ."
	"nameserver 127.0.0.1|domain example.test"
	"nameserver 127.0.0.1|search example.test"
	"nameserver 127.0.0.1|search $(d 5) example.test"
	"nameserver 127.0.0.1|search $(d 6) example.test"
	"nameserver 127.0.0.1|search $(d 7) example.test"
	"nameserver 127.0.0.1|search example.test|options ndots:2"
	"nameserver 127.0.0.1|search example.test|options ndots:5"
	"nameserver 127.0.0.1|nameserver ::1|search example.test|options rotate"
	"nameserver 127.0.0.1|search example.test|options attempts:2 timeout:1"
	"HOSTALIASES|nameserver 127.0.0.1|search example.test"
)
names=(plain a.sub plain.example.test. PLAIN.EXAMPLE.TEST 'a..b' 'foo bar' nosuch ttl
	x.broken.test x.broken.test. www txtalias myalias mxdom)
for shape in "${shapes[@]}"; do
	unset HOSTALIASES
	case "$shape" in HOSTALIASES*) export HOSTALIASES="$SANDBOX/hostaliases" ;; esac
	echo "${shape#HOSTALIASES|}" | tr '|' '\n' >"$SANDBOX/resolv.conf"
	label="[${shape//|/; }]"
	use_config "stages a"
	fails=$(differences "$label" "4|3 inet|3 inet6|2 inet6|1" "${names[@]}")
	expect "stages a = nss_dns, ${#names[@]} names x 5 calls: $label" 0 "$fails"
	# stages mx a, MX first (README, dns.h): a name res_search asks as
	# written first is asked so alone (nsscall mxquery, glibc's res_query),
	# and the walk ends there when it exists (MX, or NO_DATA: nss_dns's own
	# walk follows, the a stage being nss_dns); after its NXDOMAIN, the MX
	# is the first name of the search list that has MX records, as glibc's
	# res_search finds it (nsscall mxsearch; Postfix's own MX lookup).
	# Queries: those, plus nss_dns's own for the name when the MX walk says
	# NO_DATA (the implicit MX), and nothing else.  FOUND at mxdom: its best
	# exchanger (the zone, glue in the reply); HOST_NOT_FOUND: final, no
	# address query, unless the name was asked as written first (then
	# nss_dns's own walk follows, and its answer is the module's).
	use_config "stages mx a"
	for name in mxdom plain a.sub nosuch mxdom.example.test plain.example.test; do
		probe="" qp=0
		if as_written_first "$name" "$shape"; then
			q0=$(dns_queries)
			probe=$("$NSSCALL" mxquery "$name")
			qp=$(($(dns_queries) - q0))
		fi
		q0=$(dns_queries)
		mx=$("$NSSCALL" mxsearch "$name")
		q1=$(dns_queries)
		theirs=$(dns_says 3 "$name" inet)
		q2=$(dns_queries)
		ours=$(call 3 "$name" inet)
		q3=$(dns_queries)
		case "$probe" in
		"mx=FOUND"* | mx=NO_DATA) mx=$probe walk=0 ;;
		"" | mx=HOST_NOT_FOUND) walk=$((q1 - q0)) ;;
		*) mx="the probe's $probe" walk=0 ;;
		esac
		case "$mx" in
		"mx=FOUND qname=mxdom.example.test")
			want_q=$((qp + walk))
			want="status=SUCCESS errno=0 herrno=0 ttl=300 canon=mx1.mxdom.example.test name=mx1.mxdom.example.test aliases=mxdom.example.test addrs=192.0.2.11" ;;
		mx=NO_DATA)
			want_q=$((qp + walk + q2 - q1))
			want=$theirs ;;
		mx=HOST_NOT_FOUND)
			if as_written_first "$name" "$shape"; then
				# res_search's NXDOMAIN for the name as written may hide
				# a search-list name without MX: nss_dns's walk follows.
				want_q=$((qp + walk + q2 - q1))
				want=$theirs
			else
				want_q=$((qp + walk))
				want="status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND"
			fi ;;
		*)
			want_q="$mx is not in this zone"
			want=$want_q ;;
		esac
		expect "stages mx a, $name ($mx): the MX walk + nss_dns's walk after NO_DATA only: $label" \
			"$want_q" $((q3 - q2))
		expect "stages mx a, $name ($mx): the answer: $label" "$want" "$ours"
	done
done
unset HOSTALIASES
resolv "search example.test" "options timeout:1 attempts:2"

# --- README's status table is what is measured here ----------------------------
# readme_row OUTCOME: "STATUS H_ERRNO ERRNO" from the table's row, "-" for
# an empty errno; short OUT: the same from an nsscall line.
readme_row() {
	awk -F'|' -v key="$1" '{ o = $2; gsub(/^ +| +$/, "", o) } o == key {
		for (i = 3; i <= 5; i++) { gsub(/^ +| +$/, "", $i); if ($i == "") $i = "-" }
		print $3, $4, $5 }' "$top_srcdir/README"
}
short() { sed -n 's/^status=\([A-Z]*\) errno=\([A-Z0-9]*\) herrno=\([A-Z_0-9]*\).*/\1 \3 \2/p' | sed 's/ 0$/ -/'; }
# row OUTCOME "NSSCALL ARGS" [module-only|mx-only]: the table, the module
# with stages a (nss_dns's statuses, exactly), nss_dns, and the module with
# stages mx a, whose MX walk meets the same DNS outcome first: the same row,
# but NOTFOUND where the table says UNAVAIL, as the mx stage decided then
# (README's "One exception, on purpose").  module-only: the config as set;
# mx-only: stages mx a alone.
row() {
	local want ours theirs
	want=$(readme_row "$1")
	case "${3:-}" in
	module-only) ;;
	mx-only) use_config "stages mx a" ;;
	*) use_config "stages a" ;;
	esac
	# shellcheck disable=SC2086
	ours=$(call $2 | short)
	expect "README row '$1': the module measures it${3:+ ($3)}" "$want" "$ours"
	[ -z "${3:-}" ] || return 0
	# shellcheck disable=SC2086
	theirs=$(dns_says $2 | short)
	expect "README row '$1': nss_dns measures it" "$want" "$theirs"
	use_config "stages mx a"
	# shellcheck disable=SC2086
	ours=$(call $2 | short)
	expect "README row '$1': stages mx a (UNAVAIL is NOTFOUND once the mx stage decided)" \
		"${want/#UNAVAIL /NOTFOUND }" "$ours"
}
"$top_builddir/tests/client/dns_responder" 53 127.0.0.9 </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"

# --- a program that emptied its own server list -------------------------------
# _res.nscount = 0 (nsscall NSSCALL_NO_SERVERS): res_send fails with ESRCH,
# which nss_dns turns into TRYAGAIN/TRY_AGAIN/EAGAIN.  The module resolves on
# the same _res, and says what nss_dns says, with the mx stage too.
for stages in "stages a" "stages mx a"; do
	use_config "$stages"
	for args in "4 plain.example.test" "3 plain.example.test inet" "2 mxdom.example.test inet"; do
		# shellcheck disable=SC2086
		theirs=$(NSSCALL_NO_SERVERS=1 dns_says $args)
		# shellcheck disable=SC2086
		ours=$(NSSCALL_NO_SERVERS=1 call $args)
		expect "no servers in _res ($stages, $args): as nss_dns" "$theirs" "$ours"
	done
done
expect "no servers in _res: nss_dns's status is TRYAGAIN (the premise)" "TRYAGAIN" \
	"$(NSSCALL_NO_SERVERS=1 dns_says 4 plain.example.test | sed 's/^status=\([A-Z]*\).*/\1/')"

# --- resolv.conf changed under a running process ------------------------------
# The module resolves on the thread's own _res, as nss_dns does (dns.h): a
# process that looked a name up must see the next lookup go to the servers
# of the new resolv.conf.  First NSD (no such name), then dns_responder at
# 127.0.0.9 (good.* is 192.0.2.201); nss_dns in the same two steps is the
# expected answer.
# across_reload CMD...: runs CMD again4 good.example.test, with resolv.conf
# switched between its two lookups; prints both lines.
across_reload() {
	local out="$SANDBOX/reload.out" i
	printf '%s\n' "nameserver 127.0.0.1" "options timeout:1 attempts:1" >"$SANDBOX/resolv.conf"
	rm -f "$SANDBOX/go" "$out"
	mkfifo "$SANDBOX/go"
	"$@" again4 good.example.test <"$SANDBOX/go" >"$out" &
	exec 7>"$SANDBOX/go"
	for i in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
	sleep 1.1 # a new mtime, whatever the file system's granularity
	printf '%s\n' "nameserver 127.0.0.9" "options timeout:1 attempts:1" >"$SANDBOX/resolv.conf"
	echo go >&7
	exec 7>&-
	wait $!
	cat "$out"
}
# nss_dns leaves a stale h_errno on success where the module says 0 (nss.c):
# compared without it.
no_success_herrno() { sed '/^status=SUCCESS/s/ herrno=[A-Z_0-9]*//'; }
use_config "stages a"
theirs=$(across_reload dns_says | no_success_herrno)
ours=$(across_reload call | no_success_herrno)
expect "resolv.conf changed: nss_dns found the name at the new server only (the premise)" \
	"NOTFOUND SUCCESS" "$(echo "$theirs" | sed 's/^status=\([A-Z]*\).*/\1/' | tr '\n' ' ' | sed 's/ $//')"
expect "resolv.conf changed under a running process: the module as nss_dns, both lookups" \
	"$theirs" "$ours"
use_config "stages mx a"
resolv "search example.test" "options timeout:1 attempts:1"
row "found" "3 plain.example.test inet"
row "no such name (NXDOMAIN), or no stage knew" "3 nosuch.example.test inet"
row "the name has no address (NODATA), or a null MX" "3 v4host.example.test inet6"
row "the name has no address (NODATA), or a null MX" "3 nullmx.example.test inet" mx-only
row "a CNAME (chain or loop) without address" "3 v4alias.example.test inet6"
row "a CNAME (chain or loop) without address" "2 txtalias.example.test inet"
row "the same from gethostbyname4_r" "4 txtalias.example.test"
row "SERVFAIL, then NXDOMAIN for a later search-list name" "3 x.broken.test inet"
row "a name res_hnok refuses (4_r, 2_r and 1_r only)" "4 foo_bar!"
row "a name res_hnok refuses (4_r, 2_r and 1_r only)" "2 foo_bar! inet"
row "the caller's buffer is too small" "3 plain.example.test inet 16"
expect "README row 'out of file descriptors': the module measures it" \
	"$(readme_row "out of file descriptors (socket() fails: EMFILE)")" \
	"$(call emfile 3 plain.example.test inet | sed -n 2p | short)"
expect "README row 'out of file descriptors': nss_dns measures it" \
	"$(readme_row "out of file descriptors (socket() fails: EMFILE)")" \
	"$(dns_says emfile 3 plain.example.test inet | sed -n 2p | short)"
# 127.0.0.9 is dns_responder: the first label of the name says what it does.
printf 'nameserver 127.0.0.9\nsearch example.test\noptions timeout:1 attempts:1\n' \
	>"$SANDBOX/resolv.conf"
row "REFUSED from every server" "3 refused.x. inet"
row "REFUSED from every server" "3 refused.x inet"
row "a malformed reply" "3 truncated.x. inet"
row "SERVFAIL for every name tried" "3 servfail.x inet"
row "SERVFAIL for every name tried" "3 servfail.x. inet"
row "no DNS server answered in time" "3 silent.x. inet"
# The same server behind the search list: stages a is nss_dns here too.
use_config "stages a"
for shape in "" "search example.test" "search ." "search d1.test example.test|options ndots:2"; do
	printf 'nameserver 127.0.0.9\n%s\noptions timeout:1 attempts:1\n' "$shape" | tr '|' '\n' \
		>"$SANDBOX/resolv.conf"
	fails=$(differences "[$shape]" "4|3 inet|2 inet6|1" refused.x refused.x. refused servfail.x \
		servfail good.x cnameloop.x chain20.x truncated.x wrongid.x)
	expect "stages a = nss_dns with a misbehaving server, 10 names x 4 calls: [$shape]" 0 "$fails"
done
use_config "no_such_key yes"
row "the config file cannot be parsed" "3 plain.example.test inet" module-only
resolv "search example.test" "options timeout:1 attempts:2"
use_config "stages mx a"
expect "README's status table: every row measured above" "" \
	"$(awk -F'|' 'f && /^\|/ { o = $2; gsub(/^ +| +$/, "", o); print o } /^\| outcome/ { f = 1 } f && !/^\|/ { f = 0 }' "$top_srcdir/README" |
		grep -v -e '^-*$' | while read -r o; do grep -qF "row \"$o\"" "$0" || grep -qF "readme_row \"$o\"" "$0" || echo "$o"; done)"

# --- out of descriptors -------------------------------------------------------
# nsscall emfile: a lookup, the same with every descriptor taken
# (RLIMIT_NOFILE lowered), and the same with them back.
for stages in "a" "mx a"; do
	use_config "stages $stages"
	theirs=$(dns_says emfile 3 plain.example.test inet)
	ours=$(call emfile 3 plain.example.test inet)
	expect "EMFILE, stages $stages: what nss_dns says, before, during and after" "$theirs" "$ours"
	expect "EMFILE, stages $stages: UNAVAIL, NETDB_INTERNAL" \
		"status=UNAVAIL errno=0 herrno=NETDB_INTERNAL thread_errno=0" "$(echo "$ours" | sed -n 2p)"
done
"$top_builddir/tests/client/nbns_responder" 127.0.0.1 good 192.0.2.77 "$SANDBOX/nbns.log" \
	</dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
sleep 0.2
use_config "stages wins" "wins_server 127.0.0.1" "lmhosts none"
out=$(call emfile 3 filesrv inet)
expect "EMFILE in the wins stage: the server answers before" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 canon=filesrv name=filesrv aliases= addrs=192.0.2.77" \
	"$(echo "$out" | sed -n 1p)"
expect "EMFILE in the wins stage: UNAVAIL, NETDB_INTERNAL, as nss_dns for DNS" \
	"$(dns_says emfile 3 plain.example.test inet | sed -n 2p)" "$(echo "$out" | sed -n 2p)"
expect "EMFILE in the wins stage: the server is not marked down, it answers next" \
	"$(echo "$out" | sed -n 1p)" "$(echo "$out" | sed -n 3p)"

# --- the ERANGE replay ---------------------------------------------------------
# glibc retries at once with a bigger buffer: that retry, and only that one,
# gets the kept answer.  Each lookup of mxdom.example.test costs 1 query:
# the MX of an absolute name, whose reply carries the exchangers' A and
# AAAA as glue (the zone holds both for mx1 and mx2).
use_config "stages mx a"
q0=$(dns_queries)
out=$(call late4 mxdom.example.test 8 0)
expect "an immediate retry after ERANGE is replayed: no new query" 1 $(($(dns_queries) - q0))
expect "an immediate retry after ERANGE: the answer" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 name=mx1.mxdom.example.test addrs=192.0.2.11,2001:db8::11" \
	"$(echo "$out" | sed -n 2p)"
q0=$(dns_queries)
call late4 mxdom.example.test 8 1500 >/dev/null
expect "a retry 1.5 s after ERANGE is a new lookup: it asks again" 2 $(($(dns_queries) - q0))
call late4 mxdom.example.test 8 600 >"$SANDBOX/late.out" &
late=$!
sleep 0.2
use_config "stages a"
wait "$late"
expect "the config changed between ERANGE and the retry: the new settings answer (the zone's A)" \
	"status=SUCCESS errno=0 herrno=0 ttl=300 name=mxdom.example.test addrs=192.0.2.1" \
	"$(sed -n 2p "$SANDBOX/late.out")"

# --- one deadline per lookup -----------------------------------------------------
# dns_responder on 127.0.0.1:5300 answers the MX of mxsilentN with N
# exchangers whose own queries it never answers.  With timeout:1 attempts:2
# and one server, nss_dns spends at most 2 s on one name whose server is
# silent; the module's DNS part at most twice that: 4 s (the MX query's
# budget, and one for all exchangers together), here plus 0.5 s for
# starting the process.  The exchangers stop at the first timeout.
"$top_builddir/tests/client/dns_responder" 5300 </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
resolv "options timeout:1 attempts:2"
use_config "stages mx a" "mx_targets all" "mx_max_hosts 100" "dns_server 127.0.0.1:5300"
sleep 0.2
for n in 1 3 30; do
	for args in "3 mxsilent$n.hostile.test. inet" "4 mxsilent$n.hostile.test."; do
		t0=$(ms)
		# shellcheck disable=SC2086
		out=$(call $args)
		elapsed=$(($(ms) - t0))
		# nss_dns's timeout row (UNAVAIL, TRY_AGAIN, EAGAIN), NOTFOUND as the
		# mx stage decided (README's exception).
		expect "$n silent exchanger(s), ${args%% *}_r: TRY_AGAIN, never the domain's own address" \
			"status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN" "$out"
		expect_match "$n silent exchanger(s), ${args%% *}_r: within 2 x 2 s ($elapsed ms)" \
			"^(19[0-9][0-9]|[2-3][0-9][0-9][0-9]|4[0-4][0-9][0-9])$" "$elapsed"
	done
done
# Twelve silent WINS servers (nobody holds these addresses on the test
# network), each allowed 9 s x 10: the stage ends after 9 s in all.
add_test_net 137
servers=$(seq 80 91 | sed "s/^/$WINS_NET./" | paste -sd' ' -)
use_config "stages wins" "wins_server $servers" "wins_timeout 9000" "wins_retries 10" "lmhosts none"
t0=$(ms)
out=$(call 3 silentbox inet)
elapsed=$(($(ms) - t0))
expect "12 silent WINS servers: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$out"
expect_match "12 silent WINS servers: the stage ends after 9 s ($elapsed ms)" \
	"^(89[0-9][0-9]|9[0-4][0-9][0-9])$" "$elapsed"
# Three servers, the first answering only the MX (dns_responder on
# 127.0.0.9), two nobody (198.18.0.80 and .81): what nss_dns spends on one
# name they all ignore is measured, and the module, whose exchangers they
# all ignore, must stay within twice that, yet give the exchangers their
# time (libresolv waits 2 s, 4/3 s and 8/3 s, rounded down, per server).
printf 'nameserver 127.0.0.9\nnameserver %s.80\nnameserver %s.81\noptions timeout:2 attempts:1\n' \
	"$WINS_NET" "$WINS_NET" >"$SANDBOX/resolv.conf"
use_config "stages mx a" "mx_targets all" "mx_max_hosts 100"
t0=$(ms)
theirs=$(dns_says 3 silent.x. inet)
t_dns=$(($(ms) - t0))
t0=$(ms)
ours=$(call 3 mxsilent3.hostile.test. inet)
t_mod=$(($(ms) - t0))
echo "# 3 servers, timeout:2: nss_dns $t_dns ms for one silent name, the module $t_mod ms"
expect "3 servers: nss_dns's answer for a silent name" "status=UNAVAIL errno=EAGAIN herrno=TRY_AGAIN" "$theirs"
expect "3 servers, 3 silent exchangers: TRY_AGAIN (NOTFOUND: the mx stage decided)" \
	"${theirs/#status=UNAVAIL/status=NOTFOUND}" "$ours"
expect "3 servers: the module within twice nss_dns's time, with 0.5 s to spare" yes \
	"$([ "$t_mod" -le $((2 * t_dns + 500)) ] && echo yes || echo "no: $t_mod vs $t_dns")"
expect "3 servers: the exchangers had nss_dns's time for one name" yes \
	"$([ "$t_mod" -ge $((t_dns - 200)) ] && echo yes || echo "no: $t_mod vs $t_dns")"
resolv "search example.test" "options timeout:1 attempts:2"

tap_done
