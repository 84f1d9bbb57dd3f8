#!/bin/bash
# Unmodified programs using the module for every stage at once: the real
# getent (hosts and ahosts), 16 threads x 200 lookups with every answer
# checked, and a setuid-root program that must ignore NSS_MXFALLBACK_CONF.
# NSD, Samba's nmbd and an LMHOSTS file, inside unshare --net --mount.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require getent nsd nmbd setpriv
start_nsd
add_test_net 137
start_nmbd '"FILESRV#00" 0 192.0.2.150 66R'
printf '192.0.2.160 lmonly\n' >"$SANDBOX/lmhosts"
use_config "wins_server $WINS_NET.137" "lmhosts $SANDBOX/lmhosts"

expect "getent hosts: mx stage" "2001:db8::11    mx1.mxdom.example.test mxdom.example.test" \
	"$(getent hosts mxdom.example.test)"
expect "getent hosts: a stage" "2001:db8::80    host.example.test www.example.test www2.example.test" \
	"$(getent hosts www.example.test)"
expect "getent hosts: wins stage" "192.0.2.150     filesrv" "$(getent hosts filesrv)"
expect "getent hosts: lmhosts stage" "192.0.2.160     lmonly" "$(getent hosts lmonly)"
expect "getent ahosts: mx stage, both families, canonical name first" \
	"2001:db8::11    STREAM mx1.mxdom.example.test
192.0.2.11      STREAM" "$(getent ahosts mxdom.example.test | grep STREAM | sed 's/ *$//')"
expect "getent ahosts: wins stage" "192.0.2.150     STREAM filesrv" \
	"$(getent ahosts filesrv | grep STREAM | sed 's/ *$//')"

out=$("$top_builddir/tests/client/threads" 16 200 mxdom.example.test=192.0.2.11 \
	plain.example.test=192.0.2.90 www.example.test=192.0.2.80 noglue.example.test=198.51.100.200 \
	missing.example.test=192.0.2.50 filesrv=192.0.2.150 lmonly=192.0.2.160 2>&1)
expect "16 threads x 200 lookups across every stage: every answer right" \
	"3200 lookups, 0 wrong" "$(echo "$out" | tail -1)"

# --- setuid ---------------------------------------------------------------
if [ -n "$MXF_SANITIZED" ]; then
	omitted "programs.sh setuid checks in the sanitizer tree: ld.so drops the runtime preload for setuid programs"
	tap_done
	exit $?
fi
# The real module in the system library directory (LD_LIBRARY_PATH is
# ignored for setuid programs), a system config at the built-in path, and
# an attacker's config named by the environment.
install_module_overlay
etc=$(build_dir_var sysconfdir)
mkdir -p "$etc"
mount -t tmpfs -o mode=755 tmpfs "$etc"
printf '# the system config: MX-first for every program\nmx_programs *\n' >"$etc/nss_mxfallback.conf"
printf 'stages a\n' >"$SANDBOX/evil.conf"
chmod 755 "$SANDBOX"
chmod 644 "$SANDBOX/evil.conf"
mkdir "$SANDBOX/bin"
mount -t tmpfs -o mode=755 tmpfs "$SANDBOX/bin" # /tmp may be nosuid
cp "$NSSCALL" "$SANDBOX/bin/plain"
cp "$NSSCALL" "$SANDBOX/bin/setuid"
chown root:root "$SANDBOX/bin/setuid"
chmod 4755 "$SANDBOX/bin/setuid"
as_nobody() { env -u LD_LIBRARY_PATH NSS_MXFALLBACK_CONF="$SANDBOX/evil.conf" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
expect "not setuid: NSS_MXFALLBACK_CONF is honoured (stages a: the domain's A)" \
	"gai=0 canon=mxdom.example.test addrs=192.0.2.1" \
	"$(as_nobody "$SANDBOX/bin/plain" gai mxdom.example.test inet)"
expect "setuid root: NSS_MXFALLBACK_CONF is ignored (the system config: MX)" \
	"gai=0 canon=mx1.mxdom.example.test addrs=192.0.2.11" \
	"$(as_nobody "$SANDBOX/bin/setuid" gai mxdom.example.test inet)"

tap_done
