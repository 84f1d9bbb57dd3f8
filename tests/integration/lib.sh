# Shared by the integration tests: TAP output, a private network + mount
# namespace, and a real NSD serving the test zones on 127.0.0.1:53.
# Every test script sources this file; nothing here touches the host.

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
MODULE="$top_builddir/.libs/libnss_mxfallback.so.2"
NSSCALL="$top_builddir/tests/client/nsscall"
ZONES="$top_srcdir/tests/integration/zones"

tap_n=0
tap_failed=0

# A module built with --enable-sanitizers needs the ASan/UBSan runtimes in
# every program that loads it (getent, Postfix's smtp, nscd): preload them.
# Leaks are valgrind's job in the plain build; here ASan hunts memory errors.
# Daemons that never load the module are started without the preload.
MXF_SANITIZED=""
if nm -D "$MODULE" 2>/dev/null | grep -q ' U __asan_init'; then
	MXF_SANITIZED=1
	export LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
	export ASAN_OPTIONS="detect_leaks=0:exitcode=86"
	export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"
fi
# An external command, not a function: "$!" of a background start must be
# the daemon's own PID, or cleanup would kill a subshell and leave it running.
UNSANITIZED=(env -u LD_PRELOAD -u ASAN_OPTIONS -u UBSAN_OPTIONS)

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# expect DESCRIPTION EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   expected: $2"
		echo "#   got:      $3"
	fi
}

# expect_match DESCRIPTION EXTENDED-REGEX ACTUAL
expect_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   expected to match: $2"
		echo "#   got:               $3"
	fi
}

# Only for a run by hand that lacks root or a tool: tests/run-all counts
# every skip as a failure.
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# What a tree leaves out by design (the sanitizer tree cannot run setuid
# programs or MTAs with its runtime preloaded): named in the log, listed by
# tests/run-all, never counted as passed or skipped.
omitted() {
	echo "# omitted: $*"
}

omit_all() {
	omitted "$*"
	echo "1..0 # SKIP omitted by design"
	exit 0
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

require() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed"
	done
}

# Re-runs the calling script inside a new network + mount namespace, so the
# only network it sees is its own loopback and /etc is ours to bind over.
enter_sandbox() {
	if [ -z "${MXF_IN_SANDBOX:-}" ]; then
		[ "$(id -u)" -eq 0 ] || skip_all "needs root for unshare --net --mount"
		require unshare ip
		# Every test is bounded: 15 minutes, then it is killed.
		MXF_IN_SANDBOX=1 exec timeout -k 10 900 unshare --net --mount --propagation private --fork -- \
			"${BASH:-sh}" "$0" "$@"
	fi
	ip link set lo up
	SANDBOX=$(mktemp -d /tmp/mxf-test.XXXXXX)
	PIDS=""
	trap sandbox_cleanup EXIT
	# A host nscd would answer in our place: hide its socket.
	for d in /run/nscd /var/run/nscd; do
		if [ -d "$d" ]; then mount -t tmpfs tmpfs "$d"; fi
	done
	printf 'nameserver 127.0.0.1\nsearch example.test\noptions timeout:1 attempts:2\n' \
		>"$SANDBOX/resolv.conf"
	mount --bind "$SANDBOX/resolv.conf" /etc/resolv.conf
	use_nsswitch "mxfallback"
	use_config
	export NSS_MXFALLBACK_CONF="$SANDBOX/mxf.conf"
	export LD_LIBRARY_PATH="$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

# Every process left in this network namespace was started by this test
# (daemons that forked, children of the test programs): end them too.
namespace_pids() {
	local own pid
	own=$(readlink /proc/self/ns/net)
	for pid in /proc/[0-9]*; do
		pid=${pid#/proc/}
		case "$pid" in "$$" | "$BASHPID" | "$PPID") continue ;; esac
		[ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$own" ] && echo "$pid"
	done
}

sandbox_cleanup() {
	# Runs to the end even under a caller's set -e (tests/demo): a grep
	# that finds nothing must not skip the unmounts and the rm.
	set +e
	for pid in $PIDS; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in $PIDS; do
		wait "$pid" 2>/dev/null || true
	done
	local left
	left=$(namespace_pids)
	if [ -n "$left" ]; then
		kill $left 2>/dev/null || true
		sleep 0.5
		kill -9 $(namespace_pids) 2>/dev/null || true
	fi
	# Never let rm reach the host's /dev through the bind, nor leave a
	# mount point behind: unmount everything below the sandbox first.
	if [ -d "$SANDBOX/hostdev" ]; then
		umount -R /dev 2>/dev/null || true
	fi
	findmnt -rn -o TARGET | grep "^$SANDBOX/" | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf --one-file-system "$SANDBOX"
}

# Catches what programs in the sandbox send to syslog in $SANDBOX/syslog.
# glibc's syslog() always writes to /dev/log, so the sandbox gets a /dev of
# its own (a tmpfs holding binds of the few host nodes programs need) with
# /dev/log pointing at our listener.
start_logsink() {
	"${UNSANITIZED[@]}" "$top_builddir/tests/client/logsink" "$SANDBOX/log.sock" \
		"$SANDBOX/syslog" 600 </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 50); do
		[ -S "$SANDBOX/log.sock" ] && break
		sleep 0.1
	done
	: >"$SANDBOX/syslog"
	mkdir "$SANDBOX/hostdev"
	mount --rbind /dev "$SANDBOX/hostdev"
	mount -t tmpfs -o mode=755 tmpfs /dev
	for node in null zero full random urandom tty ptmx; do
		[ -e "$SANDBOX/hostdev/$node" ] || continue
		touch "/dev/$node"
		mount --bind "$SANDBOX/hostdev/$node" "/dev/$node"
	done
	for dir in pts shm; do
		mkdir "/dev/$dir"
		mount --rbind "$SANDBOX/hostdev/$dir" "/dev/$dir"
	done
	ln -s /proc/self/fd /dev/fd
	ln -s "$SANDBOX/log.sock" /dev/log
}

# Waits (at most 2 s) until syslog holds a line matching REGEX.
wait_for_syslog() {
	for _ in $(seq 20); do
		grep -Eq -- "$1" "$SANDBOX/syslog" && return 0
		sleep 0.1
	done
	return 1
}

# use_nsswitch "SOURCES..." — the hosts line every program in the sandbox sees.
use_nsswitch() {
	printf 'passwd: files\ngroup: files\nhosts: %s\n' "$1" >"$SANDBOX/nsswitch.conf.new"
	mv "$SANDBOX/nsswitch.conf.new" "$SANDBOX/nsswitch.conf"
	umount /etc/nsswitch.conf 2>/dev/null || true
	mount --bind "$SANDBOX/nsswitch.conf" /etc/nsswitch.conf
}

# use_config "LINE" ... — the module's config file, one argument per line.
# The test clients (nsscall, threads, nscd) are not mail programs: unless a
# line says otherwise, a last line "mx_programs *" lets the mx stage run in
# all of them (last, so the lines given keep their numbers).
use_config() {
	{
		[ $# -eq 0 ] || printf '%s\n' "$@"
		printf '%s\n' "$@" | grep -q '^mx_programs' || echo 'mx_programs *'
	} >"$SANDBOX/mxf.conf.new"
	mv "$SANDBOX/mxf.conf.new" "$SANDBOX/mxf.conf"
}

# Waits (at most 5 s) until the DNS server at 127.0.0.1 answers for ZONE.
# Whether a DNS server answers NOERROR for SOA $1 on 127.0.0.1:${2:-53} now.
wait_for_dns_once() {
	"${UNSANITIZED[@]}" dig +time=1 +tries=1 @127.0.0.1 -p "${2:-53}" SOA "${1:-example.test}" 2>/dev/null |
		grep -q 'status: NOERROR'
}

wait_for_dns() {
	for _ in $(seq 50); do
		if "${UNSANITIZED[@]}" dig +time=1 +tries=1 @127.0.0.1 -p "${2:-53}" SOA "$1" 2>/dev/null |
			grep -q 'status: NOERROR'; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# Starts NSD on 127.0.0.1:53 serving every zone in $ZONES (broken.test's
# file is invalid on purpose: NSD answers SERVFAIL for it).
start_nsd() {
	require nsd dig
	local conf="$SANDBOX/nsd.conf"
	cat >"$conf" <<NSDCONF
server:
	ip-address: 127.0.0.1
	ip-address: ::1
	port: 53
	username: ""
	chroot: ""
	database: ""
	zonesdir: "$ZONES"
	pidfile: "$SANDBOX/nsd.pid"
	xfrdfile: "$SANDBOX/xfrd.state"
	zonelistfile: "$SANDBOX/zone.list"
	logfile: "$SANDBOX/nsd.log"
	verbosity: 2
	server-count: 1
	reuseport: no
	rrl-ratelimit: 0
	rrl-whitelist-ratelimit: 0
remote-control:
	control-enable: yes
	control-interface: $SANDBOX/nsd.ctl
NSDCONF
	for zone in "$ZONES"/*.zone; do
		name=$(basename "$zone" .zone)
		[ "$name" = root ] && name=.
		printf 'zone:\n\tname: %s\n\tzonefile: %s\n' "$name" "$zone" >>"$conf"
	done
	"${UNSANITIZED[@]}" nsd -d -c "$conf" </dev/null >"$SANDBOX/nsd.out" 2>&1 &
	NSD_PID=$!
	PIDS="$PIDS $!"
	if ! wait_for_dns example.test; then
		echo "# NSD did not start:"
		sed 's/^/#   /' "$SANDBOX/nsd.out" "$SANDBOX/nsd.log" 2>/dev/null
		exit 1
	fi
}

# A network for NetBIOS inside the sandbox: nmbd refuses to serve on loopback
# alone, so a veth pair (both ends in this namespace) carries 198.18.0.0/24
# (RFC 2544's benchmarking range).  198.18.0.99 is nobody: packets to it
# vanish, which makes a silent server.  Each address has its broadcast
# address (198.18.0.255), as DHCP and ifupdown give one.
WINS_NET=198.18.0
add_test_net() {
	ip link add mxf0 type veth peer name mxf1
	ip link set mxf1 up
	ip link set mxf0 up
	for host in "$@"; do
		ip addr add "$WINS_NET.$host/24" brd + dev mxf0
	done
}

# Writes DIR/smb.conf for an nmbd of the tests, serving ADDRESS/24 only, with
# its own state and sockets below DIR (two nmbds, or two test runs, would
# otherwise share /run/samba/nmbd/unexpected and one would not start), never a master browser, never asking DNS for
# names it does not know (dns proxy would loop back into the module), and
# the [global] LINEs given.
write_smb_conf() { # write_smb_conf DIR ADDRESS LINE...
	local d=$1 address=$2
	shift 2
	mkdir -p "$d/state" "$d/cache" "$d/lock" "$d/private" "$d/pid" "$d/log" "$d/sock"
	{
		echo "[global]"
		printf '\t%s\n' "$@"
		cat <<SMBCONF
	workgroup = TESTGRP
	interfaces = $address/24
	bind interfaces only = yes
	state directory = $d/state
	cache directory = $d/cache
	lock directory = $d/lock
	private dir = $d/private
	pid directory = $d/pid
	log file = $d/log/nmbd.log
	nmbd:socket dir = $d/sock
	local master = no
	domain master = no
	preferred master = no
	dns proxy = no
SMBCONF
	} >"$d/smb.conf"
}

# Starts Samba's nmbd as a WINS server on $WINS_NET.137 with the static names
# of the wins.dat lines given ('"NAME#00" 0 ADDRESS 66R').
start_nmbd() {
	require nmbd
	local d="$SANDBOX/samba"
	write_smb_conf "$d" "$WINS_NET.137" "netbios name = WINSSRV" "wins support = yes"
	{ echo "VERSION 1 0"; printf '%s\n' "$@"; } >"$d/state/wins.dat"
	"${UNSANITIZED[@]}" nmbd -F --no-process-group -s "$d/smb.conf" </dev/null >"$d/nmbd.out" 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 100); do
		"${UNSANITIZED[@]}" nmblookup -s "$d/smb.conf" -U "$WINS_NET.137" --recursion WINSSRV 2>/dev/null |
			grep -q 'WINSSRV<00>' && return 0
		sleep 0.1
	done
	echo "# nmbd did not start:"
	tail -20 "$d/log/nmbd.log" | sed 's/^/#   /'
	exit 1
}

# A directory variable of the build, expanded ("sysconfdir" -> /usr/local/etc).
build_dir_var() {
	local value prefix exec_prefix
	prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
	exec_prefix=$(sed -n 's/^exec_prefix = //p' "$top_builddir/Makefile")
	exec_prefix=${exec_prefix/\$\{prefix\}/$prefix}
	value=$(sed -n "s/^$1 = //p" "$top_builddir/Makefile")
	value=${value/\$\{exec_prefix\}/$exec_prefix}
	echo "${value/\$\{prefix\}/$prefix}"
}

# Puts the built module into the system library directory, for programs
# that ignore LD_LIBRARY_PATH (setuid ones) or scrub their environment: a
# read-only overlay, seen only inside this mount namespace.
install_module_overlay() {
	local libdir
	libdir=$(dirname "$(readlink -f "$(ldd /bin/sh | awk '/libc.so/ { print $3 }')")")
	mkdir -p "$SANDBOX/overlay"
	cp "$MODULE" "$SANDBOX/overlay/"
	mount -t overlay overlay -o "lowerdir=$SANDBOX/overlay:$libdir" "$libdir"
}

# How many queries NSD has answered since it started.
dns_queries() {
	"${UNSANITIZED[@]}" nsd-control -c "$SANDBOX/nsd.conf" stats_noreset | sed -n 's/^num\.queries=//p'
}
