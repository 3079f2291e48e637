# snmp_fixture.bash — sourced by tests/integration/snmp_*.sh: starts snmpd instances on
# 127.0.0.x:$SNMP_PORT serving a small hospital's LLDP-MIB through `override`, all
# state in $T (temp dir), nothing read from /etc/snmp. Call fx_stop (trap) to end them.
#
# Topology (scope 127.0.0.8/29 = .8-.15):
#   core-sw .11  p1 -> dist-a p49 | p2 -> dist-b p49 | p3 -> isp-rtr .20 (OUT of scope)
#                p4 -> ward-ap-3 (no management address)
#                p5 -> localhost (no address; looked up only with --resolve: snmp_resolve.sh)
#   dist-a  .12  p49 -> core-sw p1 | p50 -> dist-b p50 (loop) | p1 -> edge-sw (.14)
#   dist-b  .13  (SNMPv3 only) p49 -> core-sw p2 | p50 -> dist-a p50 | p2 -> edge-sw (.15)
#                p3 -> xray-printer .9 (in scope, nothing listens: unreachable)
#   edge-sw .14 and .15 (one device, two addresses; LLDP-V2-MIB only, ports by ifIndex)
#                ifIndex 1024 -> dist-a p1 | ifIndex 1023 -> dist-b p2
# A free port, so that two runs of the suite (several engineers share this machine)
# never collide: every address the fixture uses must be free on it.
fx_pick_port() {
    python3 - "$@" <<'PY'
import random, socket, sys
addrs = sys.argv[1:]
for _ in range(200):
    port = random.randint(20000, 59000)
    socks = []
    try:
        for a in addrs:
            s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_DGRAM)
            socks.append(s)
            s.bind((a, port))
        print(port)
        break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
PY
}
SNMP_PORT=${SNMP_PORT:-$(fx_pick_port 127.0.0.8 127.0.0.9 127.0.0.10 127.0.0.11 127.0.0.12 127.0.0.13 127.0.0.14 127.0.0.15 127.0.0.20 ::1)}
FX_COMMUNITY=${FX_COMMUNITY:-hosp-Ro-7x9Q}
FX_V3USER=ro-survey
FX_V3AUTH=${FX_V3AUTH:-authPa55-Zk81}
FX_V3PRIV=${FX_V3PRIV:-privPa55-Qm27}
FX_PIDS=()

LR=.1.0.8802.1.1.2.1.4.1.1      # lldpRemEntry
LM=.1.0.8802.1.1.2.1.4.2.1.3    # lldpRemManAddrIfSubtype
LL=.1.0.8802.1.1.2.1.3          # lldpLocalSystemData

# fx_rem CONF TIMEMARK PORT REMIDX CHASSIS_HEX PORTNAME SYSNAME SYSDESC [MGMT_IP [MGMT_TIMEMARK]]
fx_rem() {
    local f=$1 t=$2 p=$3 r=$4 ch=$5 pn=$6 sn=$7 sd=$8 ip=${9:-} mt=${10:-$2}
    local i=$t.$p.$r
    {
        echo "override $LR.4.$i integer 4"
        echo "override $LR.5.$i octet_str 0x$ch"
        echo "override $LR.6.$i integer 5"
        echo "override $LR.7.$i octet_str \"$pn\""
        echo "override $LR.8.$i octet_str \"$pn uplink\""
        echo "override $LR.9.$i octet_str \"$sn\""
        echo "override $LR.10.$i octet_str \"$sd\""
        echo "override $LR.11.$i octet_str 0x2800"
        echo "override $LR.12.$i octet_str 0x2000"
        if [ -n "$ip" ]; then
            echo "override $LM.$mt.$p.$r.1.4.$ip integer 2"
        fi
    } >>"$f"
}

# LLDP-V2-MIB (802.1AB-2009) variants: remote index timeMark.ifIndex.destMac.remIndex,
# columns one higher, local ports indexed by ifIndex. Used for edge-sw (AlaxalA-style).
L2R=.1.3.111.2.802.1.1.13.1.4.1.1
L2M=.1.3.111.2.802.1.1.13.1.4.2.1.3
L2L=.1.3.111.2.802.1.1.13.1.3
fx_rem_v2() { # CONF TIMEMARK IFINDEX REMIDX CHASSIS_HEX PORTNAME SYSNAME SYSDESC [MGMT_IP]
    local f=$1 t=$2 p=$3 r=$4 ch=$5 pn=$6 sn=$7 sd=$8 ip=${9:-}
    local i=$t.$p.1.$r
    {
        echo "override $L2R.5.$i integer 4"
        echo "override $L2R.6.$i octet_str 0x$ch"
        echo "override $L2R.7.$i integer 5"
        echo "override $L2R.8.$i octet_str \"$pn\""
        echo "override $L2R.9.$i octet_str \"$pn uplink\""
        echo "override $L2R.10.$i octet_str \"$sn\""
        echo "override $L2R.11.$i octet_str \"$sd\""
        [ -n "$ip" ] && echo "override $L2M.$i.1.4.$ip integer 2"
    } >>"$f"
}
fx_loc_v2() { # CONF CHASSIS_HEX IFINDEX:NAME...
    local f=$1 ch=$2; shift 2
    {
        echo "override $L2L.1.0 integer 4"
        echo "override $L2L.2.0 octet_str 0x$ch"
        for pp in "$@"; do
            local n=${pp%%:*} name=${pp#*:}
            echo "override $L2L.7.1.2.$n integer 5"
            echo "override $L2L.7.1.3.$n octet_str \"$name\""
            echo "override $L2L.7.1.4.$n octet_str \"$name\""
        done
    } >>"$f"
}

# fx_loc CONF CHASSIS_HEX SYSNAME PORTNUM:NAME...
fx_loc() {
    local f=$1 ch=$2 sn=$3; shift 3
    {
        echo "override $LL.1.0 integer 4"
        echo "override $LL.2.0 octet_str 0x$ch"
        echo "override $LL.3.0 octet_str \"$sn\""
        for pp in "$@"; do
            local n=${pp%%:*} name=${pp#*:}
            echo "override $LL.7.1.2.$n integer 5"
            echo "override $LL.7.1.3.$n octet_str \"$name\""
            echo "override $LL.7.1.4.$n octet_str \"$name\""
        done
    } >>"$f"
}

# fx_conf NAME ADDRS SYSNAME LOCATION [v3]
fx_conf() {
    local name=$1 addrs=$2 sn=$3 loc=$4 v3=${5:-}
    local f=$T/$name.conf
    local aa="" a
    for a in $addrs; do aa="${aa:+$aa,}udp:$a:$SNMP_PORT"; done
    {
        echo "agentaddress $aa"
        if [ -n "$v3" ]; then
            echo "createUser $FX_V3USER SHA-256 \"$FX_V3AUTH\" AES \"$FX_V3PRIV\""
            echo "rouser $FX_V3USER priv"
        else
            echo "rocommunity $FX_COMMUNITY 127.0.0.0/8"
            echo "rocommunity6 $FX_COMMUNITY ::1/128"
        fi
        echo "sysname $sn"
        echo "syslocation $loc"
        [ "$sn" = core-sw ] || echo "sysdescr edgemap test agent $sn"
        echo "override .1.3.6.1.2.1.1.2.0 object_id .1.3.6.1.4.1.8072.3.2.10"
        echo "dontLogTCPWrappersConnects yes"
    } >"$f"
    echo "$f"
}

fx_build() {
    local c
    c=$(fx_conf core-sw 127.0.0.11 core-sw "Main building 1F server room")
    fx_loc "$c" 020000000011 core-sw 1:ge1/0/1 2:ge1/0/2 3:ge1/0/3 4:ge1/0/4 5:ge1/0/5
    fx_rem "$c" 0 1 1 020000000012 ge0/49 dist-a "dist switch A" 127.0.0.12
    fx_rem "$c" 0 2 1 020000000013 ge0/49 dist-b "dist switch B" 127.0.0.13
    fx_rem "$c" 0 3 1 020000000020 wan0 isp-rtr "carrier router" 127.0.0.20
    fx_rem "$c" 0 4 1 02000000a003 eth0 ward-ap-3 "ward access point"
    # no management address; its name is looked up only with --resolve (snmp_resolve.sh)
    fx_rem "$c" 0 5 1 02000000a005 eth1 localhost "name-only neighbour"
    # a two-line sysDescr ("Core switch" LF "firmware 1.2.3"): multi-line strings in dumps
    echo "override .1.3.6.1.2.1.1.1.0 octet_str 0x436f7265207377697463680a6669726d7761726520312e322e33" >>"$c"
    c=$(fx_conf dist-a 127.0.0.12 dist-a "Ward building 2F")
    fx_loc "$c" 020000000012 dist-a 49:ge0/49 50:ge0/50 1:ge0/1
    # non-zero timeMark on the rows, 0 on the manAddr rows (ERS4900 quirk)
    fx_rem "$c" 15315603 49 1 020000000011 ge1/0/1 core-sw "core switch" 127.0.0.11 0
    fx_rem "$c" 15315603 50 2 020000000013 ge0/50 dist-b "dist switch B" 127.0.0.13 0
    fx_rem "$c" 15315603 1 3 020000000014 ge0/24 edge-sw "edge switch" 127.0.0.14 0
    c=$(fx_conf dist-b 127.0.0.13 dist-b "Ward building 3F" v3)
    fx_loc "$c" 020000000013 dist-b 49:ge0/49 50:ge0/50 2:ge0/2 3:ge0/3
    fx_rem "$c" 0 49 1 020000000011 ge1/0/2 core-sw "core switch" 127.0.0.11
    fx_rem "$c" 0 50 1 020000000012 ge0/50 dist-a "dist switch A" 127.0.0.12
    fx_rem "$c" 0 2 1 020000000014 ge0/23 edge-sw "edge switch" 127.0.0.15
    fx_rem "$c" 0 3 1 0200000000a9 port1 xray-printer "x-ray printer" 127.0.0.9
    c=$(fx_conf edge-sw "127.0.0.14 127.0.0.15" edge-sw "Ward building 3F closet")
    sed -i "s|^agentaddress .*|&,udp6:[::1]:$SNMP_PORT|" "$c"     # also on IPv6 loopback
    # edge-sw speaks only LLDP-V2-MIB (like AlaxalA): the crawler must fall back to it
    fx_loc_v2 "$c" 020000000014 1024:ge0/24 1023:ge0/23
    fx_rem_v2 "$c" 0 1024 1 020000000012 ge0/1 dist-a "dist switch A" 127.0.0.12
    fx_rem_v2 "$c" 0 1023 1 020000000013 ge0/2 dist-b "dist switch B" 127.0.0.13
}

fx_start() {
    local n
    export SNMP_PERSISTENT_DIR=$T/persist
    mkdir -p "$SNMP_PERSISTENT_DIR"
    for n in core-sw dist-a dist-b edge-sw; do
        mkdir -p "$T/persist/$n"
        SNMP_PERSISTENT_DIR=$T/persist/$n MIBS="" MIBDIRS=/nonexistent \
            /usr/sbin/snmpd -f -Lf "$T/$n.log" -I -smux,mteTrigger,mteTriggerConf -C -c "$T/$n.conf" \
            -p "$T/$n.pid" &
        FX_PIDS+=($!)
    done
    # wait until each answers (sysName), up to ~10 s
    local i ok
    for i in $(seq 1 50); do
        ok=1
        snmpget -v2c -c "$FX_COMMUNITY" -On -t 0.2 -r 0 127.0.0.11:$SNMP_PORT .1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 || ok=0
        snmpget -v2c -c "$FX_COMMUNITY" -On -t 0.2 -r 0 127.0.0.14:$SNMP_PORT .1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 || ok=0
        snmpget -v3 -l authPriv -u $FX_V3USER -a SHA-256 -A "$FX_V3AUTH" -x AES -X "$FX_V3PRIV" -On -t 0.2 -r 0 \
            127.0.0.13:$SNMP_PORT .1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 || ok=0
        [ $ok = 1 ] && return 0
        sleep 0.2
    done
    return 1
}

fx_stop() {
    local p
    for p in "${FX_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${FX_PIDS[@]}"; do wait "$p" 2>/dev/null; done
    FX_PIDS=()
}

# A UDP listener on ADDR:PORT that counts datagrams into FILE (out-of-scope witness).
fx_listen() {
    local addr=$1 port=$2 file=$3
    python3 - "$addr" "$port" "$file" <<'PY' &
import socket, sys, signal
a, p, f = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((a, p))
n = 0
open(f, "w").write("0\n")
def bye(*_):
    open(f, "w").write("%d\n" % n); sys.exit(0)
signal.signal(signal.SIGTERM, bye)
while True:
    s.recvfrom(65535); n += 1
    open(f, "w").write("%d\n" % n)
PY
    FX_PIDS+=($!)
}
