#!/bin/bash
# Real MTAs delivering through the module.  Debian's Postfix with native
# host lookups (smtp_host_lookup = native, disable_dns_lookups = yes: no MX
# lookup of its own) and its smtp client not chrooted, sends to domains
# whose own A record points where nothing listens and whose MX host runs
# Postfix's smtp-sink, all on 127.0.0.0/8 inside unshare --net --mount.
# Then Exim 4 (Debian's binary, unpacked by tests/install-deps), whose
# dnslookup router asks DNS itself, routed instead by a manualroute router
# with "route_list = * $domain byname" (gethostbyname, so NSS).
. "$(dirname "$0")/lib.sh"
# Postfix's and Exim's daemons fail to start with the sanitizer runtime
# preloaded; the plain build runs this test.
[ -z "$MXF_SANITIZED" ] || omit_all "mta.sh in the sanitizer tree: Postfix's smtp and Exim do not start with its runtime preloaded"
enter_sandbox "$@"
require postfix smtp-sink sendmail postconf
start_nsd
P="$SANDBOX/postfix"
chmod 755 "$SANDBOX"
mkdir -p "$P/conf" "$P/queue" "$P/data" "$P/sink2" "$P/sink5"
chown postfix "$P/data"
chmod 777 "$P/sink2" "$P/sink5"
cat >"$P/conf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $P/queue
data_directory = $P/data
mail_owner = postfix
setgid_group = postdrop
myhostname = sender.example.test
mydomain = example.test
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
relayhost =
# The settings the module needs: host names resolved through NSS only.
smtp_host_lookup = native
disable_dns_lookups = yes
smtp_connect_timeout = 2s
maillog_file_prefixes = /tmp
maillog_file = $P/maillog
# Postfix daemons see only these variables: the test's module and config.
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE
  POSTLOG_HOSTNAME LD_LIBRARY_PATH=$LD_LIBRARY_PATH NSS_MXFALLBACK_CONF=$NSS_MXFALLBACK_CONF
CF
# Debian's master.cf with every service unchrooted (a chrooted smtp would need
# the module, its config and nsswitch.conf inside the chroot).
sed -E 's/^([a-z]+ +[a-z]+ +[-yn] +[-yn] +)[-yn]( +)/\1n\2/' /etc/postfix/master.cf >"$P/conf/master.cf"
postfix -c "$P/conf" start >/dev/null 2>&1 || { echo "# postfix did not start"; exit 1; }
trap 'postfix -c "$P/conf" stop >/dev/null 2>&1; sandbox_cleanup' EXIT
for host in 2 5; do
	smtp-sink -u postfix -d "$P/sink$host/%M." "127.0.0.$host:25" 10 </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
done
sleep 0.3

send() { # send RECIPIENT SUBJECT
	printf 'Subject: %s\n\nhello\n' "$2" | sendmail -C "$P/conf" -f sender@example.test "$1"
}
arrived() { # arrived SINKDIR SUBJECT: waits up to 15 s for the message
	for _ in $(seq 150); do
		grep -ls "Subject: $2" "$1"/* >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

send user@maildom.example.test "best mx"
arrived "$P/sink2" "best mx"
expect "mx_targets best, default shuffling: the message reaches the MX host" 0 $?
expect_match "Postfix's log: relayed to the exchanger's address, not the domain's" \
	"to=<user@maildom.example.test>, relay=maildom.example.test\\[127.0.0.2\\]:25.*status=sent" \
	"$(cat "$P/maillog")"

use_config "mx_targets all"
postconf -c "$P/conf" -e smtp_randomize_addresses=no
postfix -c "$P/conf" reload >/dev/null 2>&1
sleep 1
send user@backupdom.example.test "backup mx"
arrived "$P/sink5" "backup mx"
expect "primary MX down, mx_targets all, no shuffling: the backup MX gets it" 0 $?
expect_match "Postfix's log: the primary refused, the backup took it" \
	"to=<user@backupdom.example.test>, relay=backupdom.example.test\\[127.0.0.5\\]:25.*status=sent" \
	"$(cat "$P/maillog")"

use_config "mx_programs postfix smtp"
send user@maildom.example.test "mx programs"
arrived "$P/sink2" "mx programs"
expect "mx_programs smtp: Postfix's smtp client still gets the MX answer" 0 $?
expect "mx_programs smtp: getent on the same host gets the domain's A record" \
	"127.0.0.3       maildom.example.test" "$(getent hosts maildom.example.test)"

# --- Exim ---------------------------------------------------------------
EXIM_DIR=/var/cache/nss-mxfallback-tests/exim4
if [ -x "$EXIM_DIR/usr/sbin/exim4" ]; then
	E="$SANDBOX/exim"
	# The binary re-executes itself as /usr/sbin/exim4 and runs as the
	# Debian-exim user, which only the exim4-base package would create.
	mount -t overlay overlay -o "lowerdir=$EXIM_DIR/usr/sbin:/usr/sbin" /usr/sbin
	cp /etc/passwd "$SANDBOX/passwd"
	cp /etc/group "$SANDBOX/group"
	echo 'Debian-exim:x:64990:64990::/nonexistent:/usr/sbin/nologin' >>"$SANDBOX/passwd"
	echo 'Debian-exim:x:64990:' >>"$SANDBOX/group"
	mount --bind "$SANDBOX/passwd" /etc/passwd
	mount --bind "$SANDBOX/group" /etc/group
	mkdir -p "$E/spool" "$E/log"
	chown -R Debian-exim:Debian-exim "$E/spool" "$E/log"
	cat >"$E/exim.conf" <<CF
primary_hostname = sender.example.test
spool_directory = $E/spool
log_file_path = $E/log/%slog
never_users =
keep_environment = LD_LIBRARY_PATH : NSS_MXFALLBACK_CONF
begin routers
byname:
  driver = manualroute
  route_list = * \$domain byname
  transport = remote_smtp
begin transports
remote_smtp:
  driver = smtp
  port = 25
begin retry
* * F,1m,1m
CF
	use_config ""
	printf 'Subject: exim byname\n\nhello\n' |
		timeout 60 /usr/sbin/exim4 -C "$E/exim.conf" -odi -f sender@example.test user@maildom.example.test \
		2>>"$E/stderr"
	arrived "$P/sink2" "exim byname"
	expect "Exim, manualroute byname: the message reaches the MX host" 0 $?
	expect_match "Exim's log: delivered to the exchanger" \
		"=> user@maildom.example.test R=byname T=remote_smtp H=mx.maildom.example.test \\[127.0.0.2\\]" \
		"$(cat "$E/log/mainlog")"
else
	not_ok "Exim's binary is unpacked in $EXIM_DIR (tests/install-deps does it)"
fi

tap_done
