#!/bin/bash
# glibc's nscd with its hosts cache on, loading the module inside the
# namespace: lookups through it are answered by the module once, repeats
# come from the cache (counted at the DNS server), and the TTL the module
# reports bounds how long nscd keeps an answer.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require nscd getent
start_nsd
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
nscd -d -f "$SANDBOX/nscd.conf" </dev/null >"$SANDBOX/nscd.log" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 50); do
	[ -S /run/nscd/socket ] && break
	sleep 0.1
done
# Clients without LD_LIBRARY_PATH cannot load the module themselves: an
# answer that comes back came from nscd.
client() { env -u LD_LIBRARY_PATH "$@"; }
counted() { # counted CMD... -> its output, then the DNS queries it caused
	local q0 out
	q0=$(dns_queries)
	out=$("$@")
	echo "$out queries=$(($(dns_queries) - q0))"
}

# getent hosts asks AF_INET6 first: the AAAA search walks mxdom.example.test
# (no AAAA: NODATA) and mxdom.example.test.example.test (NXDOMAIN), ends in
# NODATA, and the MX is then searched for itself: 3 queries (README).
expect "gethostbyname2 through nscd: the module's MX answer" \
	"2001:db8::11    mx1.mxdom.example.test mxdom.example.test queries=3" \
	"$(counted client getent hosts mxdom.example.test)"
expect "the repeat comes from nscd's cache: no query" \
	"2001:db8::11    mx1.mxdom.example.test mxdom.example.test queries=0" \
	"$(counted client getent hosts mxdom.example.test)"
# AF_UNSPEC: the A search, then the MX of the name it reached (with glue).
expect "getaddrinfo through nscd: the module's answer" \
	"gai=0 canon=mx1.mxdom.example.test addrs=192.0.2.11,2001:db8::11 queries=2" \
	"$(counted client "$NSSCALL" gai mxdom.example.test unspec | sed 's/addrs=2001:db8::11,192.0.2.11/addrs=192.0.2.11,2001:db8::11/')"
expect "getaddrinfo repeat: from the cache" \
	"gai=0 canon=mx1.mxdom.example.test addrs=192.0.2.11,2001:db8::11 queries=0" \
	"$(counted client "$NSSCALL" gai mxdom.example.test unspec | sed 's/addrs=2001:db8::11,192.0.2.11/addrs=192.0.2.11,2001:db8::11/')"
# nscd's getaddrinfo cache asks gethostbyname4_r: the A search, the MX
# (none), then AAAA at the name the search reached.
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

tap_done
