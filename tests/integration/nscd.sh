#!/bin/bash
# glibc's nscd with its hosts cache on, loading the module inside the
# namespace: lookups through it are answered by the module once, repeats
# come from the cache (counted at the DNS server), and the TTL the module
# reports bounds how long nscd keeps an answer.  Then mx_programs: inside
# nscd the module sees the name nscd, not the client's, so it warns once in
# syslog; both ways out (MX-first for all, or no hosts cache) work.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require nscd getent
start_nsd
start_logsink
# nscd's socket lives in /run/nscd: give this namespace a /run of its own.
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/nscd
cat >"$SANDBOX/nscd.conf" <<CONF
threads 2
enable-cache hosts yes
positive-time-to-live hosts 3600
negative-time-to-live hosts 20
check-files hosts no
persistent hosts no
shared hosts no
enable-cache passwd no
enable-cache group no
enable-cache services no
enable-cache netgroup no
CONF
start_nscd() {
	rm -f /run/nscd/socket
	nscd -d -f "$SANDBOX/nscd.conf" </dev/null >>"$SANDBOX/nscd.log" 2>&1 &
	NSCD_PID=$!
	PIDS="$PIDS $!"
	for _ in $(seq 50); do
		[ -S /run/nscd/socket ] && break
		sleep 0.1
	done
}
start_nscd
# Clients without LD_LIBRARY_PATH cannot load the module themselves: an
# answer that comes back came from nscd.
client() { env -u LD_LIBRARY_PATH "$@"; }
counted() { # counted CMD... -> its output, then the DNS queries it caused
	local q0 out
	q0=$(dns_queries)
	out=$("$@")
	echo "$out queries=$(($(dns_queries) - q0))"
}

# MX first (README): mxdom.example.test has two dots (ndots 1), so
# res_search asks its MX as is first, and the reply carries the
# exchangers' A and AAAA as glue (the zone): 1 query.
expect "gethostbyname2 through nscd: the module's MX answer" \
	"2001:db8::11    mx1.mxdom.example.test mxdom.example.test queries=1" \
	"$(counted client getent hosts mxdom.example.test)"
expect "the repeat comes from nscd's cache: no query" \
	"2001:db8::11    mx1.mxdom.example.test mxdom.example.test queries=0" \
	"$(counted client getent hosts mxdom.example.test)"
# AF_UNSPEC: the same MX query, glue for both families.
expect "getaddrinfo through nscd: the module's answer" \
	"gai=0 canon=mx1.mxdom.example.test addrs=192.0.2.11,2001:db8::11 queries=1" \
	"$(counted client "$NSSCALL" gai mxdom.example.test unspec | sed 's/addrs=2001:db8::11,192.0.2.11/addrs=192.0.2.11,2001:db8::11/')"
expect "getaddrinfo repeat: from the cache" \
	"gai=0 canon=mx1.mxdom.example.test addrs=192.0.2.11,2001:db8::11 queries=0" \
	"$(counted client "$NSSCALL" gai mxdom.example.test unspec | sed 's/addrs=2001:db8::11,192.0.2.11/addrs=192.0.2.11,2001:db8::11/')"
# nscd's getaddrinfo cache asks gethostbyname4_r.  short.example.test has
# an A record only (the zone): its MX asked as written (NODATA: the name
# exists, the MX walk ends there, README), then its A (found) and AAAA
# there: 3 queries.
expect "a 2-second TTL: answered" "gai=0 canon=short.example.test addrs=192.0.2.111 queries=3" \
	"$(counted client "$NSSCALL" gai short.example.test inet)"
expect "a 2-second TTL: the repeat is cached" \
	"gai=0 canon=short.example.test addrs=192.0.2.111 queries=0" \
	"$(counted client "$NSSCALL" gai short.example.test inet)"
# Once the TTL runs out nscd's pruner (it runs at most every 15 s) reloads
# the entry (reload-count) or drops it: the DNS server is asked again within
# ~20 s, not after positive-time-to-live's 3600 s.  The 300-s entry stays.
before=$(dns_queries)
requeried=no
for _ in $(seq 50); do
	sleep 0.5
	if [ "$(dns_queries)" -gt "$before" ]; then
		requeried=yes
		break
	fi
done
expect "a 2-second TTL: nscd asks again within 25 s, not after 3600 s" yes "$requeried"
before=$(dns_queries)
client getent hosts mxdom.example.test >/dev/null
expect "a 300-second TTL: still cached" "$before" "$(dns_queries)"

# --- mx_programs and nscd --------------------------------------------------
WARNING="nss_mxfallback: running inside nscd with mx_programs set"
expect "mx_programs *: nscd logs no warning" 0 "$(grep -c "$WARNING" "$SANDBOX/syslog")"
printf '# the shipped default: mx_programs smtp exim4 exim getent\n' >"$SANDBOX/mxf.conf"
expect "default mx_programs: through nscd even getent gets the domain's A (zone: maildom A)" \
	"127.0.0.3       maildom.example.test" "$(client getent hosts maildom.example.test)"
client getent hosts noglue.example.test >/dev/null
wait_for_syslog "$WARNING"
expect "default mx_programs: nscd warns once, at LOG_WARNING (<12>: user.warning)" 1 \
	"$(grep -c "^<12>.*$WARNING: every client of its hosts cache gets no MX-first answer" \
		"$SANDBOX/syslog")"
# Way out 1: MX-first for every program.
use_config "mx_programs *"
expect "mx_programs *: through nscd getent gets the MX host (zone: MX 10 mx1.backupdom)" \
	"127.0.0.4       mx1.backupdom.example.test backupdom.example.test" \
	"$(client getent hosts backupdom.example.test)"
expect "mx_programs *: no second warning" 1 "$(grep -c "$WARNING" "$SANDBOX/syslog")"
# Way out 2: nscd without a hosts cache; each program resolves for itself.
kill "$NSCD_PID"
wait "$NSCD_PID" 2>/dev/null
sed -i 's/^enable-cache hosts yes/enable-cache hosts no/' "$SANDBOX/nscd.conf"
start_nscd
: >"$SANDBOX/syslog"
printf '# the shipped default: mx_programs smtp exim4 exim getent\n' >"$SANDBOX/mxf.conf"
expect "no hosts cache: getent gets the MX host (other.test: mail AAAA 2001:db8:1::200)" \
	"2001:db8:1::200 mail.other.test noglue.example.test" "$(getent hosts noglue.example.test)"
cp "$(command -v getent)" "$SANDBOX/curl"
expect "no hosts cache: a program named curl gets the domain's A (zone: noglue A 192.0.2.30)" \
	"192.0.2.30      noglue.example.test" "$("$SANDBOX/curl" hosts noglue.example.test)"
expect "no hosts cache: nscd warns of nothing" 0 "$(grep -c "$WARNING" "$SANDBOX/syslog")"

tap_done
