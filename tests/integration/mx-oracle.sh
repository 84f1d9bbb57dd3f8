#!/bin/bash
# An oracle nobody here wrote: Postfix's own MX logic (issue 12, item 6).
# Three Postfix instances run side by side over the same zones
# (zones/oracle.test.zone, one domain per MX shape) and send one message to
# each domain; smtp-sink listens on every exchanger address that is up and
# on 127.0.0.1.1, every domain's own A record ("trap": mail there went to a
# host the domain did not name).
#   dns     Postfix's own MX logic: smtp_host_lookup = dns, DNS lookups on.
#   strict  through the module: smtp_host_lookup = native,
#           disable_dns_lookups = yes; mx_targets all, mx_fallback none and
#           smtp_randomize_addresses = no (RFC 5321's rules, README's
#           fail-over settings).  Must end exactly as dns for every shape.
#   best    through the module with its defaults (mx_targets best,
#           mx_fallback a).  Ends as dns except where it differs on purpose,
#           each named below with the documented answer.
# Outcome per message: the sink that received it, "bounced" or "deferred"
# (Postfix's maillog).  The dns run is also held to what the zone file says.
. "$(dirname "$0")/lib.sh"
# Postfix's daemons fail to start with the sanitizer runtime preloaded; the
# plain build runs this test (as mta.sh).
[ -z "$MXF_SANITIZED" ] || omit_all "mx-oracle.sh in the sanitizer tree: Postfix's smtp does not start with its runtime preloaded"
enter_sandbox "$@"
require postfix smtp-sink sendmail postconf nsd
start_nsd
chmod 755 "$SANDBOX"
P="$SANDBOX/oracle"
D=oracle.test

# shape: what the zone file says Postfix does (the sink's address, or
# bounced / deferred).
SHAPES="
plain 127.0.0.170
typo 127.0.0.12
nodata 127.0.0.14
nullmx bounced
v4lit 127.0.0.25
v6lit 2001:db8::160
loop bounced
tempfail deferred
tempbackup 127.0.0.63
nxservfail deferred
noaddr bounced
cname 127.0.0.81
cnamenowhere 127.0.0.83
equal 127.0.0.102
noglue 127.0.0.120
v6only 2001:db8::130
bestdown 127.0.0.151
thirty 127.0.0.140
"
# Where the module's defaults differ from Postfix on purpose (README, "How the
# mx stage chooses"; nss_mxfallback.conf(5)):
#  noaddr    no exchanger has an address and nothing failed: mx_fallback a
#            goes on to the domain's own A record, as Exchange's IMS did.
#  bestdown  mx_targets best answers with the best preference's addresses
#            only; fail-over to a backup needs mx_targets all.
declare -A BEST_DIFFERS=([noaddr]=127.0.1.1 [bestdown]=deferred)

SINKS="127.0.1.1 2001:db8::130 2001:db8::160"
for shape in $(echo "$SHAPES" | awk 'NF { print $2 }'); do
	case "$shape" in bounced | deferred | 2001:*) ;; *) SINKS="$SINKS $shape" ;; esac
done
ip addr add 2001:db8::130/128 dev lo
ip addr add 2001:db8::160/128 dev lo
for addr in $SINKS; do
	mkdir -p "$P/sink/$addr"
	chmod 777 "$P/sink/$addr"
	case "$addr" in *:*) listen="[$addr]:25" ;; *) listen="$addr:25" ;; esac
	smtp-sink -u postfix -d "$P/sink/$addr/%M." "$listen" 64 </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
done

start_postfix() { # start_postfix NAME MODULE-CONFIG-LINE... -- MAIN.CF-LINE...
	local name=$1 d="$P/$1"
	shift
	mkdir -p "$d/conf" "$d/queue" "$d/data"
	chown postfix "$d/data"
	: >"$d/mxf.conf"
	while [ "$1" != -- ]; do
		echo "$1" >>"$d/mxf.conf"
		shift
	done
	shift
	cat >"$d/conf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-$name
myhostname = sender.example.test
mydomain = example.test
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = all
# No smtpd: three instances side by side, mail comes in by sendmail.
master_service_disable = inet
relayhost =
smtp_connect_timeout = 2s
maillog_file_prefixes = /tmp
maillog_file = $d/maillog
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE
  POSTLOG_HOSTNAME LD_LIBRARY_PATH=$LD_LIBRARY_PATH NSS_MXFALLBACK_CONF=$d/mxf.conf
CF
	printf '%s\n' "$@" >>"$d/conf/main.cf"
	# Debian's master.cf with every service unchrooted (as mta.sh).
	sed -E 's/^([a-z]+ +[a-z]+ +[-yn] +[-yn] +)[-yn]( +)/\1n\2/' /etc/postfix/master.cf \
		>"$d/conf/master.cf"
	postfix -c "$d/conf" start >/dev/null 2>&1 || { echo "# postfix $name did not start"; exit 1; }
}
INSTANCES="dns strict best"
start_postfix dns -- "smtp_host_lookup = dns" "disable_dns_lookups = no"
start_postfix strict "mx_targets all" "mx_fallback none" -- \
	"smtp_host_lookup = native" "disable_dns_lookups = yes" "smtp_randomize_addresses = no"
start_postfix best -- "smtp_host_lookup = native" "disable_dns_lookups = yes"
trap 'for i in $INSTANCES; do postfix -c "$P/$i/conf" stop >/dev/null 2>&1; done; sandbox_cleanup' EXIT
sleep 0.5

for shape in $(echo "$SHAPES" | awk 'NF { print $1 }'); do
	for i in $INSTANCES; do
		# The null sender: a bounce is not mailed anywhere.
		printf 'Subject: %s %s\n\nhello\n' "$shape" "$i" |
			sendmail -C "$P/$i/conf" -f '<>' "user@$shape.$D"
	done
done

status_of() { # status_of INSTANCE SHAPE: Postfix's last status for the message
	grep -F "to=<user@$2.$D>" "$P/$1/maillog" 2>/dev/null | grep -o 'status=[a-z]*' | tail -1
}
outcome() { # outcome INSTANCE SHAPE
	local s f
	s=$(status_of "$1" "$2")
	case "$s" in
	status=sent)
		for _ in $(seq 20); do
			f=$(grep -lsx "Subject: $2 $1" "$P"/sink/*/* | head -1)
			[ -n "$f" ] && break
			sleep 0.1
		done
		basename "$(dirname "$f")"
		;;
	status=bounced | status=deferred) echo "${s#status=}" ;;
	*) echo "no status ($s)" ;;
	esac
}
# Every message gets a status within 60 s (connection refused and SERVFAIL
# are immediate; the whole suite takes about 10 s).
for _ in $(seq 600); do
	left=0
	for shape in $(echo "$SHAPES" | awk 'NF { print $1 }'); do
		for i in $INSTANCES; do
			[ -n "$(status_of "$i" "$shape")" ] || left=$((left + 1))
		done
	done
	[ "$left" -eq 0 ] && break
	sleep 0.1
done

while read -r shape zone_says; do
	[ -n "$shape" ] || continue
	dns=$(outcome dns "$shape")
	expect "$shape: Postfix's own MX logic does what the zone file says" "$zone_says" "$dns"
	expect "$shape: through the module, mx_targets all + mx_fallback none: as Postfix" \
		"$dns" "$(outcome strict "$shape")"
	if [ -n "${BEST_DIFFERS[$shape]:-}" ]; then
		expect "$shape: through the module's defaults: differs on purpose (documented)" \
			"${BEST_DIFFERS[$shape]}" "$(outcome best "$shape")"
	else
		expect "$shape: through the module's defaults: as Postfix" "$dns" "$(outcome best "$shape")"
	fi
done <<<"$SHAPES"

# The trap took only what the documented IMS fallback sent it.
expect "the domain's own address got only the IMS fallback's message" "Subject: noaddr best" \
	"$(cat "$P/sink/127.0.1.1"/* 2>/dev/null | grep '^Subject:' | sort | paste -sd, -)"
expect_match "localhost exchanger: Postfix sees its own loop through the module" \
	"to=<user@loop.$D>.*status=bounced \\(mail for loop.$D loops back to myself\\)" \
	"$(cat "$P/best/maillog")"
expect_match "null MX in a set: Postfix's own logic bounces it as a null MX" \
	"to=<user@nullmx.$D>.*status=bounced.*nullMX" "$(cat "$P/dns/maillog")"

tap_done
