# shellcheck shell=bash
# Shared functions of the mailprobe testbed scripts (sourced by up, down, fault, status).
#
# Layout of the state dir ($STATE, default /tmp/mailprobe-testbed):
#   secrets/            probe-password, alice-password, token-key
#   tls/                ca.pem ca.key, NODE.crt NODE.key, NODE-expired.crt/.key, wrong-host.crt/.key
#   mail/               the shared Maildir store (owner vmail): mail/DOMAIN/USER/{cur,new,tmp}
#   smtp-N/postfix/     main.cf (live), main.cf.base (fault-free), master.cf, vmailbox
#   smtp-N/queue|data/  Postfix queue_directory and data_directory
#   smtp-N/dovecot/     auth-only Dovecot that serves SASL to this Postfix node
#   imap-N/dovecot/     dovecot.conf, fault.conf (written by `fault`), run/ state/
#   NODE/passwd         passwd-file of this node (auth-broken swaps the probe hash)
#   NODE/fault          current fault mode (none when absent)
#   NODE/log/           postfix.log, dovecot.log, helper.log (blackhole / slow proxy)

TB_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB_HOME=$(dirname "$TB_LIB")
STATE=${MAILPROBE_TESTBED_DIR:-/tmp/mailprobe-testbed}
STATE=${STATE%/}
DOMAIN=testbed.mailprobe.test
PY=/usr/bin/python3
HELPER=$TB_LIB/tbhelper.py
SLOW_DELAY=${MAILPROBE_TESTBED_SLOW_DELAY:-2.5}

ALL_NODES=(smtp-1 smtp-2 imap-1 imap-2)
declare -A NODE_IP=([smtp-1]=127.0.0.11 [smtp-2]=127.0.0.12 [imap-1]=127.0.0.21 [imap-2]=127.0.0.22)
# In `slow` mode the real server moves to this address and a delaying proxy takes the node's one.
declare -A NODE_BACK_IP=([smtp-1]=127.0.1.11 [smtp-2]=127.0.1.12 [imap-1]=127.0.1.21 [imap-2]=127.0.1.22)
SMTP_PORTS=(2525 2587)
IMAP_PORTS=(2143 2993 2110 2995)

POSTFIX_MODES="stop blackhole slow defer discard reject auth-broken bad-cert wrong-cert none"
DOVECOT_MODES="stop blackhole slow auth-broken bad-cert wrong-cert none"

SCRIPT_NAME=${SCRIPT_NAME:-testbed}
if [[ ${TB_TRACE:-} == 1 ]]; then PS4='+ ${EPOCHREALTIME} ${FUNCNAME[0]:-main}: '; set -x; fi
log() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
set -E
trap 'log "ERROR: command failed (${BASH_SOURCE[0]##*/}:$LINENO): $BASH_COMMAND"' ERR

node_kind() { case $1 in smtp-*) echo postfix ;; imap-*) echo dovecot ;; *) return 1 ;; esac; }
node_ports() { if [[ $(node_kind "$1") == postfix ]]; then echo "${SMTP_PORTS[@]}"; else echo "${IMAP_PORTS[@]}"; fi; }
greeting_name() { echo "$1.$DOMAIN"; }
fault_of() { cat "$STATE/$1/fault" 2>/dev/null || echo none; }

tb_lock() {
  mkdir -p "$(dirname "$STATE")"
  exec 9>"$STATE.lock"
  flock -w 120 9 || die "another testbed command holds $STATE.lock for more than 120 s"
}

vmail_ids() { VMAIL_UID=$(id -u vmail); VMAIL_GID=$(id -g vmail); }

# ------------------------------------------------------------------ secrets + TLS
gen_secrets() {
  mkdir -p "$STATE/secrets"
  chmod 700 "$STATE/secrets"
  local f
  for f in probe-password alice-password; do
    [[ -s $STATE/secrets/$f ]] || { openssl rand -hex 12 >"$STATE/secrets/$f"; chmod 600 "$STATE/secrets/$f"; }
  done
  [[ -s $STATE/secrets/token-key ]] || { openssl rand -hex 32 >"$STATE/secrets/token-key"; chmod 600 "$STATE/secrets/token-key"; }
  # a password that is NOT the probe's, used by the auth-broken fault
  [[ -s $STATE/secrets/broken-password ]] || { openssl rand -hex 12 >"$STATE/secrets/broken-password"; chmod 600 "$STATE/secrets/broken-password"; }
}

# sign_cert NAME CN SANS DAYS|EXPIRED
sign_cert() {
  local name=$1 cn=$2 sans=$3 validity=$4 d=$STATE/tls
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/$name.key" 2>/dev/null
  openssl req -new -key "$d/$name.key" -subj "/O=mailprobe testbed/CN=$cn" -out "$d/$name.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$sans" >"$d/$name.ext"
  if [[ $validity == EXPIRED ]]; then
    # OpenSSL 3.0's `x509 -req` cannot back-date; `openssl ca` can (-startdate/-enddate).
    local ca=$d/.ca-db
    mkdir -p "$ca"; : >"$ca/index.txt"; openssl rand -hex 8 >"$ca/serial"
    cat >"$ca/ca.cnf" <<CNF
[ca]
default_ca = tb
[tb]
database = $ca/index.txt
serial = $ca/serial
new_certs_dir = $ca
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
O = optional
CN = supplied
CNF
    openssl ca -batch -notext -config "$ca/ca.cnf" -cert "$d/ca.pem" -keyfile "$d/ca.key" \
      -startdate 20200101000000Z -enddate 20210101000000Z -extfile "$d/$name.ext" \
      -in "$d/$name.csr" -out "$d/$name.crt" >/dev/null 2>&1 || die "could not sign expired certificate $name"
    rm -rf "$ca"
  else
    openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
      -days "$validity" -sha256 -extfile "$d/$name.ext" -out "$d/$name.crt" 2>/dev/null \
      || die "could not sign certificate $name"
  fi
  rm -f "$d/$name.csr" "$d/$name.ext" "$d/ca.srl"
  chmod 644 "$d/$name.crt"; chmod 640 "$d/$name.key"
}

gen_tls() {
  local d=$STATE/tls n ip
  mkdir -p "$d"; chmod 755 "$d"
  if [[ ! -s $d/ca.pem || ! -s $d/ca.key ]]; then
    rm -f "$d"/*.crt "$d"/*.key
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$d/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$d/ca.key" -days 3650 -sha256 -subj "/O=mailprobe testbed/CN=mailprobe testbed CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -out "$d/ca.pem" 2>/dev/null || die "could not create the testbed CA"
    chmod 600 "$d/ca.key"
  fi
  for n in "${ALL_NODES[@]}"; do
    ip=${NODE_IP[$n]}
    local sans="DNS:$n.$DOMAIN,DNS:$n,IP:$ip"
    # renew when missing or expiring within a day
    if [[ ! -s $d/$n.crt ]] || ! openssl x509 -in "$d/$n.crt" -noout -checkend 86400 >/dev/null 2>&1; then
      sign_cert "$n" "$n.$DOMAIN" "$sans" 825
    fi
    [[ -s $d/$n-expired.crt ]] || sign_cert "$n-expired" "$n.$DOMAIN" "$sans" EXPIRED
  done
  [[ -s $d/wrong-host.crt ]] || sign_cert wrong-host "wrong-host.invalid" "DNS:wrong-host.invalid,IP:127.0.0.99" 825
  # Postfix/Dovecot processes that drop privileges must read the keys they use
  chgrp -R dovecot "$d" 2>/dev/null || true
}

# ------------------------------------------------------------------ accounts
write_passwd() { # NODE [broken]
  local n=$1 broken=${2:-} f=$STATE/$1/passwd pw apw
  mkdir -p "$STATE/$n"
  pw=$(cat "$STATE/secrets/probe-password")
  [[ $broken == broken ]] && pw=$(cat "$STATE/secrets/broken-password")
  apw=$(cat "$STATE/secrets/alice-password")
  # deterministic salt: the same password gives the same file, so an unchanged file is not rewritten
  {
    echo "probe@$DOMAIN:{SHA512-CRYPT}$(openssl passwd -6 -salt "$(printf '%s' "$n:probe:$pw" | md5sum | cut -c1-16)" "$pw")"
    echo "alice@$DOMAIN:{SHA512-CRYPT}$(openssl passwd -6 -salt "$(printf '%s' "$n:alice:$apw" | md5sum | cut -c1-16)" "$apw")"
  } >"$f.tmp"
  if cmp -s "$f.tmp" "$f"; then rm -f "$f.tmp"; return 0; fi
  chown root:dovecot "$f.tmp"; chmod 640 "$f.tmp"
  # Dovecot re-reads a passwd-file only when its mtime (whole seconds) or size changes; the
  # broken and the good file have the same size, so give every version a distinct mtime.
  local old_m new_m=$EPOCHSECONDS
  old_m=$(stat -c %Y "$f" 2>/dev/null || echo 0)
  ((new_m > old_m)) || new_m=$((old_m + 1))
  touch -d "@$new_m" "$f.tmp"
  mv -f "$f.tmp" "$f"
  # ...and it stats the file at most once per second (ioloop_time): a login later in the same
  # second as the last lookup would still see the old file. Return only once that second is over.
  local now=$EPOCHREALTIME
  sleep "$(awk -v t="$now" 'BEGIN { printf "%.3f", 1.05 - (t - int(t)) }')"
}

gen_mailstore() {
  vmail_ids
  mkdir -p "$STATE/mail/$DOMAIN"
  chown -R "$VMAIL_UID:$VMAIL_GID" "$STATE/mail"
  chmod 750 "$STATE/mail"
}

# ------------------------------------------------------------------ Postfix
# gen_postfix NODE LISTEN_IP  -> writes main.cf.base, main.cf (= base), master.cf, vmailbox
gen_postfix() {
  local n=$1 ip=$2 base=$STATE/$1 cf=$STATE/$1/postfix
  vmail_ids
  mkdir -p "$cf" "$base/queue" "$base/data" "$base/log"
  chown postfix "$base/data"
  cat >"$cf/main.cf.base" <<CF
# Generated by mailprobe testbed/up for node $n. Do not edit: testbed/fault rewrites main.cf from main.cf.base.
compatibility_level = 3.6
queue_directory = $base/queue
data_directory = $base/data
maillog_file = $base/log/postfix.log
maillog_file_prefixes = $STATE
syslog_name = mailprobe-testbed-$n
mail_owner = postfix
setgid_group = postdrop
myhostname = $n.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
smtpd_banner = \$myhostname ESMTP mailprobe testbed ($n)
# the node address is bound in master.cf; inet_interfaces must name a real interface address
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 local delivery is disabled on the testbed
alias_maps =
alias_database =
relay_domains =
relayhost =
default_transport = error:5.7.1 the testbed delivers no outside mail
biff = no
append_dot_mydomain = no
readme_directory = no
delay_warning_time = 0
queue_run_delay = 30s
minimal_backoff_time = 30s
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_base = $STATE/mail
virtual_mailbox_maps = texthash:$cf/vmailbox
virtual_uid_maps = static:$VMAIL_UID
virtual_gid_maps = static:$VMAIL_GID
virtual_minimum_uid = 100
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions =
smtpd_tls_chain_files = $STATE/tls/$n.key, $STATE/tls/$n.crt
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $base/dovecot/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_sasl_authenticated_header = no
CF
  cat >"$cf/master.cf" <<CF
# Generated by mailprobe testbed/up for node $n ($ip). chroot is off everywhere (column 5 = n).
$ip:2525  inet  n - n - - smtpd
$ip:2587  inet  n - n - - smtpd
  -o syslog_name=mailprobe-testbed-$n/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
virtual   unix  - n n - - virtual
lmtp      unix  - - n - - lmtp
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
CF
  {
    echo "probe@$DOMAIN $DOMAIN/probe/"
    echo "alice@$DOMAIN $DOMAIN/alice/"
  } >"$cf/vmailbox"
  cp -f "$cf/main.cf.base" "$cf/main.cf"
  postfix_backdate "$n"
}

# Every postfix command waits ~1.8 s when main.cf/master.cf are younger than a couple of
# seconds. The testbed writes them right before use, so it backdates them.
postfix_backdate() {
  touch -d "@$((EPOCHSECONDS - 10))" "$STATE/$1/postfix/main.cf" "$STATE/$1/postfix/master.cf"
}

postfix_pid() { # prints the master pid when running
  local f=$STATE/$1/queue/pid/master.pid p
  [[ -f $f ]] || return 1
  p=$(awk '{print $1; exit}' "$f")
  [[ -n $p ]] && alive "$p" && [[ $(cat "/proc/$p/comm" 2>/dev/null) == master ]] && echo "$p"
}

postfix_start() {
  local n=$1
  postfix_pid "$n" >/dev/null && return 0
  # After the first start the queue is set up: skip postfix-script's ~2 s integrity checks.
  [[ -d $STATE/$n/queue/pid && -d $STATE/$n/queue/maildrop ]] && touch "$STATE/$n/queue/quick-start"
  postfix_backdate "$n"
  postfix -c "$STATE/$n/postfix" start 9>&- </dev/null >>"$STATE/$n/log/control.log" 2>&1 \
    || { tail -n 20 "$STATE/$n/log/control.log" "$STATE/$n/log/postfix.log" >&2 2>/dev/null || true; die "postfix $n did not start"; }
}

postfix_reload() {
  postfix_backdate "$1"
  # `postfix reload` returns before the master has told its idle smtpd children to exit, and
  # one of them can still serve the next connection with the old settings: wait until the
  # children that existed before the reload are gone (busy ones finish their session first).
  local master old=() p i
  if master=$(postfix_pid "$1"); then
    for p in $(ps -o pid= --ppid "$master" 2>/dev/null); do old+=("$p"); done
  fi
  postfix -c "$STATE/$1/postfix" reload 9>&- </dev/null >>"$STATE/$1/log/control.log" 2>&1 || die "postfix $1 reload failed"
  for ((i = 0; i < 60; i++)); do
    local left=0
    for p in "${old[@]}"; do
      if alive "$p" && [[ $(cat "/proc/$p/comm" 2>/dev/null) == smtpd ]]; then left=1; break; fi
    done
    ((left == 0)) && return 0
    sleep 0.05
  done
}

postfix_stop() { # NODE [term|kill]
  local p
  p=$(postfix_pid "$1") || return 0
  stop_group "$p" "${2:-kill}" "postfix $1"
}

# alive PID: exists and is not a zombie (PID 1 here reaps orphans only every few seconds)
alive() {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $st && $st != Z && $st != X ]]
}

# stop_group PID term|kill WHAT: the masters run in their own session (pgid = pid), so killing
# the group takes every child with it. term = graceful (Dovecot sleeps ~3 s, Postfix ~1.7 s on
# shutdown), kill = SIGKILL at once, like a crash; both wait until the master is gone.
stop_group() {
  local p=$1 how=$2 what=$3 i limit=120
  if [[ $how == term ]]; then
    kill -TERM "$p" 2>/dev/null || true
  else
    kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
    limit=40
  fi
  for ((i = 0; i < limit; i++)); do alive "$p" || break; sleep 0.05; done
  if alive "$p"; then
    log "$what (master $p) did not stop in time, killing its process group"
    kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true
    sleep 0.1
  fi
  return 0
}

# ------------------------------------------------------------------ Dovecot
# gen_dovecot NODE LISTEN_IP  (imap nodes: imap+pop3; smtp nodes: auth-only for Postfix SASL)
gen_dovecot() {
  local n=$1 ip=$2 d=$STATE/$1/dovecot kind
  kind=$(node_kind "$n")
  vmail_ids
  mkdir -p "$d/run" "$d/state" "$STATE/$n/log"
  [[ -f $d/fault.conf ]] || : >"$d/fault.conf"
  {
    cat <<CF
# Generated by mailprobe testbed/up for node $n. testbed/fault writes fault.conf (included last).
instance_name = mailprobe-testbed-$n
base_dir = $d/run
state_dir = $d/state
log_path = $STATE/$n/log/dovecot.log
info_log_path = $STATE/$n/log/dovecot.log
auth_verbose = yes
auth_mechanisms = plain login
disable_plaintext_auth = yes
first_valid_uid = $VMAIL_UID
last_valid_uid = $VMAIL_UID
first_valid_gid = $VMAIL_GID
last_valid_gid = $VMAIL_GID
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%u $STATE/$n/passwd
}
userdb {
  driver = static
  args = uid=$VMAIL_UID gid=$VMAIL_GID home=$STATE/mail/%d/%n
}
mail_location = maildir:$STATE/mail/%d/%n
CF
    if [[ $kind == dovecot ]]; then
      cat <<CF
protocols = imap pop3
listen = $ip
hostname = $n.$DOMAIN
login_greeting = $n.$DOMAIN mailprobe testbed ready.
ssl = yes
ssl_cert = <$STATE/tls/$n.crt
ssl_key = <$STATE/tls/$n.key
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
pop3_uidl_format = %08Xu%08Xv
mail_max_userip_connections = 50
service imap-login {
  inet_listener imap {
    port = 2143
  }
  inet_listener imaps {
    port = 2993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 2110
  }
  inet_listener pop3s {
    port = 2995
    ssl = yes
  }
}
CF
    else
      cat <<CF
protocols =
listen = 127.0.0.1
ssl = no
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
CF
    fi
    echo "!include_try $d/fault.conf"
  } >"$d/dovecot.conf"
}

dovecot_pid() {
  local f=$STATE/$1/dovecot/run/master.pid p
  [[ -f $f ]] || return 1
  p=$(cat "$f")
  [[ -n $p ]] && alive "$p" && [[ $(cat "/proc/$p/comm" 2>/dev/null) == dovecot ]] && echo "$p"
}

dovecot_start() {
  local n=$1
  dovecot_pid "$n" >/dev/null && return 0
  # a killed master may linger as a zombie, which Dovecot's own pid check takes for alive
  rm -f "$STATE/$n/dovecot/run/master.pid"
  # Dovecot keeps stderr open: never let it inherit the caller's pipes.
  dovecot -c "$STATE/$n/dovecot/dovecot.conf" 9>&- </dev/null >>"$STATE/$n/log/control.log" 2>&1 \
    || { tail -n 20 "$STATE/$n/log/control.log" "$STATE/$n/log/dovecot.log" >&2 2>/dev/null || true; die "dovecot $n did not start"; }
}

dovecot_reload() {
  dovecot -c "$STATE/$1/dovecot/dovecot.conf" reload 9>&- </dev/null >>"$STATE/$1/log/control.log" 2>&1 || die "dovecot $1 reload failed"
}

dovecot_stop() { # NODE [term|kill]
  local p
  p=$(dovecot_pid "$1") || return 0
  stop_group "$p" "${2:-kill}" "dovecot $1"
}

# ------------------------------------------------------------------ helpers (blackhole / slow proxy)
helper_pid() {
  local f=$STATE/$1/helper.pid p
  [[ -f $f ]] || return 1
  p=$(cat "$f")
  [[ -n $p ]] && alive "$p" && grep -q tbhelper "/proc/$p/cmdline" 2>/dev/null && echo "$p"
}

helper_start() { # NODE ARGS...
  local n=$1; shift
  mkdir -p "$STATE/$n/log"
  setsid "$PY" "$HELPER" "$@" 9>&- </dev/null >>"$STATE/$n/log/helper.log" 2>&1 &
  echo $! >"$STATE/$n/helper.pid"
}

helper_stop() {
  local n=$1 p i
  if p=$(helper_pid "$n"); then
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do alive "$p" || break; sleep 0.05; done
    kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$STATE/$n/helper.pid"
}

# ------------------------------------------------------------------ node level
node_running() { # server process (not helper) up?
  if [[ $(node_kind "$1") == postfix ]]; then postfix_pid "$1" >/dev/null; else dovecot_pid "$1" >/dev/null; fi
}

node_start() {
  local n=$1
  if [[ $(node_kind "$n") == postfix ]]; then dovecot_start "$n"; postfix_start "$n"; else dovecot_start "$n"; fi
}

node_stop() { # NODE [term|kill]
  local n=$1 how=${2:-kill}
  if [[ $(node_kind "$n") == postfix ]]; then postfix_stop "$n" "$how"; dovecot_stop "$n" "$how"; else dovecot_stop "$n" "$how"; fi
}

# gen_node NODE IP: all config of a node for the given listen address, fault-free
gen_node() {
  local n=$1 ip=$2
  write_passwd "$n"
  gen_dovecot "$n" "$ip"
  : >"$STATE/$n/dovecot/fault.conf"
  [[ $(node_kind "$n") == postfix ]] && gen_postfix "$n" "$ip"
  return 0
}

# wait_specs NODE [IP]: tbhelper wait specs of every listener of the node
wait_specs() {
  local n=$1 ip=${2:-${NODE_IP[$1]}} g imp=implicit
  g=$(greeting_name "$n")
  [[ $ip == "${NODE_IP[$n]}" ]] || imp=implicit-noverify
  if [[ $(node_kind "$n") == postfix ]]; then
    echo "$ip:2525:none:220_:$g" "$ip:2587:none:220_:$g"
  else
    echo "$ip:2143:none:*_OK:$g" "$ip:2993:$imp:*_OK:$g" "$ip:2110:none:+OK:$g" "$ip:2995:$imp:+OK:$g"
  fi
}

wait_ready() { # TIMEOUT NODE[@IP]...
  local t=$1; shift
  local specs=() n
  for n in "$@"; do
    # shellcheck disable=SC2207
    if [[ $n == *@* ]]; then specs+=($(wait_specs "${n%@*}" "${n#*@}")); else specs+=($(wait_specs "$n")); fi
  done
  "$PY" "$HELPER" wait "$t" "$STATE/tls/ca.pem" "${specs[@]}"
}

# Ports of a node that still have a listener on its address (empty when none)
node_listeners() {
  local n=$1 ip=${2:-${NODE_IP[$1]}} p out=()
  for p in $(node_ports "$n"); do
    ss -Hltn "src $ip:$p" 2>/dev/null | grep -q . && out+=("$p")
  done
  echo "${out[@]}"
}

wait_no_listeners() { # NODE [IP]
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -z $(node_listeners "$@") ]] && return 0
    sleep 0.05
  done
  die "node $1 still has listeners on ports $(node_listeners "$@")"
}

print_table() {
  local n kind ports mode run
  printf '%-7s %-8s %-11s %-64s %-31s %-9s %s\n' NODE KIND ADDRESS PORTS "GREETING NAME" FAULT STATE
  for n in "${ALL_NODES[@]}"; do
    kind=$(node_kind "$n")
    if [[ $kind == postfix ]]; then
      ports="smtp 2525 starttls, submission 2587 starttls+auth"
    else
      ports="imap 2143 starttls, imaps 2993, pop3 2110 starttls, pop3s 2995"
    fi
    mode=$(fault_of "$n")
    if node_running "$n"; then run=running; else run=stopped; fi
    helper_pid "$n" >/dev/null && run="$run+helper"
    printf '%-7s %-8s %-11s %-64s %-31s %-9s %s\n' "$n" "$kind" "${NODE_IP[$n]}" "$ports" "$(greeting_name "$n")" "$mode" "$run"
  done
  echo "state: $STATE   CA: $STATE/tls/ca.pem   accounts: probe@$DOMAIN, alice@$DOMAIN (passwords in $STATE/secrets/)"
}

# ------------------------------------------------------------------ faults
config_sum() { { cat "$STATE/$1/postfix/main.cf" "$STATE/$1/postfix/master.cf" "$STATE/$1/dovecot/dovecot.conf" \
  "$STATE/$1/dovecot/fault.conf" 2>/dev/null || true; } | md5sum; }

mode_applies() { # NODE MODE
  local modes
  if [[ $(node_kind "$1") == postfix ]]; then modes=$POSTFIX_MODES; else modes=$DOVECOT_MODES; fi
  [[ " $modes " == *" $2 "* ]]
}

# wait until the node serves the given certificate (reloads are asynchronous)
wait_served_cert() { # NODE CERTFILE
  local n=$1 want got i port proto
  if [[ $(node_kind "$n") == postfix ]]; then port=2525 proto=smtp; else port=2993 proto=implicit; fi
  want=$(openssl x509 -in "$2" -noout -fingerprint -sha256)
  for ((i = 0; i < 100; i++)); do
    got=$("$PY" "$HELPER" servedcert "${NODE_IP[$n]}" "$port" "$proto" 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null || true)
    [[ $got == "$want" ]] && return 0
    sleep 0.1
  done
  die "node $n does not serve $2 after reload"
}

# clear_fault NODE: restore the node exactly to its fault-free configuration, running on its address
clear_fault() {
  local n=$1 mode before after kind
  kind=$(node_kind "$n")
  mode=$(fault_of "$n")
  helper_stop "$n"
  if [[ $mode == slow ]]; then
    node_stop "$n"
    wait_no_listeners "$n" "${NODE_BACK_IP[$n]}"
  fi
  before=$(config_sum "$n")
  gen_node "$n" "${NODE_IP[$n]}"
  after=$(config_sum "$n")
  if node_running "$n"; then
    if [[ $before != "$after" ]]; then
      if [[ $kind == postfix ]]; then postfix_reload "$n"; dovecot_reload "$n"; else dovecot_reload "$n"; fi
      [[ $kind == postfix ]] || wait_served_cert "$n" "$STATE/tls/$n.crt"
      [[ $kind == dovecot ]] || wait_served_cert "$n" "$STATE/tls/$n.crt"
    fi
  else
    wait_no_listeners "$n"   # blackhole helper gone
    node_start "$n"
  fi
  if [[ $kind == postfix && $mode == defer ]]; then
    postqueue -c "$STATE/$n/postfix" -f >/dev/null 2>&1 || true   # deliver what the fault held back
  fi
  rm -f "$STATE/$n/fault"
}

# apply_fault NODE MODE: node must be fault-free (call clear_fault first)
apply_fault() {
  local n=$1 mode=$2 kind cf p specs=()
  kind=$(node_kind "$n")
  cf=$STATE/$n/postfix
  case $mode in
    none) return 0 ;;
    stop)
      node_stop "$n"; wait_no_listeners "$n" ;;
    blackhole)
      node_stop "$n"; wait_no_listeners "$n"
      for p in $(node_ports "$n"); do specs+=("${NODE_IP[$n]}:$p"); done
      helper_start "$n" blackhole "${specs[@]}" ;;
    slow)
      node_stop "$n"; wait_no_listeners "$n"
      gen_node "$n" "${NODE_BACK_IP[$n]}"
      node_start "$n"
      wait_ready 20 "$n@${NODE_BACK_IP[$n]}" || die "node $n did not come up on its backend address ${NODE_BACK_IP[$n]}"
      for p in $(node_ports "$n"); do specs+=("${NODE_IP[$n]}:$p=${NODE_BACK_IP[$n]}:$p"); done
      helper_start "$n" slow "$SLOW_DELAY" "${specs[@]}" ;;
    defer)
      postconf -c "$cf" -e "defer_transports = virtual"; postfix_reload "$n" ;;
    discard)
      postconf -c "$cf" -e "virtual_transport = discard:mailprobe testbed fault discard"; postfix_reload "$n" ;;
    reject)
      postconf -c "$cf" -e "smtpd_recipient_restrictions = check_recipient_access static:{451 4.3.0 mailprobe testbed fault: reject}"
      postfix_reload "$n" ;;
    auth-broken)
      write_passwd "$n" broken ;;
    bad-cert | wrong-cert)
      local c=$n-expired
      [[ $mode == wrong-cert ]] && c=wrong-host
      if [[ $kind == postfix ]]; then
        postconf -c "$cf" -e "smtpd_tls_chain_files = $STATE/tls/$c.key, $STATE/tls/$c.crt"; postfix_reload "$n"
      else
        printf 'ssl_cert = <%s\nssl_key = <%s\n' "$STATE/tls/$c.crt" "$STATE/tls/$c.key" >"$STATE/$n/dovecot/fault.conf"
        dovecot_reload "$n"
      fi
      wait_served_cert "$n" "$STATE/tls/$c.crt" ;;
    *) die "unknown mode $mode" ;;
  esac
  if [[ $mode == blackhole || $mode == slow ]]; then
    local i
    for ((i = 0; i < 100; i++)); do
      [[ $(node_listeners "$n") == "$(node_ports "$n")" ]] && break
      sleep 0.05
    done
    [[ $(node_listeners "$n") == "$(node_ports "$n")" ]] || { tail -n 20 "$STATE/$n/log/helper.log" >&2; die "$mode helper for $n is not listening"; }
  fi
  echo "$mode" >"$STATE/$n/fault"
}

# PIDs of every process that belongs to this testbed: command line naming the state dir
# (dovecot -c, tbhelper), a Dovecot instance title, or Postfix processes (MAIL_CONFIG in $STATE).
tb_processes() {
  {
    grep -lsaz -E -- "$STATE/|^dovecot-mailprobe-testbed-" /proc/[0-9]*/cmdline || true
    grep -lsaz -- "^MAIL_CONFIG=$STATE/" /proc/[0-9]*/environ || true
  } | sed -E 's|^/proc/([0-9]+)/.*|\1|' | grep -vx -e "$$" -e "$BASHPID" | sort -un || true
}
