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
require lintian dpkg nsd
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
	[debian-default]="hosts:          files mxfallback dns"
	[mdns]="hosts:          files mdns4_minimal [NOTFOUND=return] mxfallback dns myhostname"
	[systemd-resolve]="hosts:          mymachines resolve [!UNAVAIL=return] files myhostname mxfallback dns"
	[comments]="hosts:	files mxfallback dns # trailing comment"
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
umount -R "$R" 2>/dev/null || umount -l "$R"
tap_done
