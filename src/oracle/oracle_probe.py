#!/usr/bin/env python3
"""Probe program of the vnetlab kernel oracle.

Runs inside one network namespace (started by `vnetlab-oracle` through `ip netns exec`) and does one
job: a DHCP exchange, a ping, a UDP datagram, a DNS query, a TCP connect, a packet capture, the
"internet" daemon, or turning offloads off. Each probe prints ONE result line on stdout:
`outcome=<word>` followed by `key=value` fields, tab-separated (values never hold tabs or newlines).

Only the Python 3 standard library is used, so the harness needs no extra packages. ICMP errors are
read from a raw ICMP socket opened before the probe is sent: the kernel gives raw sockets a copy of
every ICMP message before handing it to TCP/UDP, so the error's type, code, sender and quoted header
are all visible, the same way for ping, UDP and TCP.
"""

import argparse
import errno
import fcntl
import os
import select
import signal
import socket
import struct
import sys
import time

ICMP_ERROR_TYPES = (3, 4, 5, 11, 12)
IP_MTU_DISCOVER = 10          # <linux/in.h>; the values below choose whether the kernel sets DF
PMTUDISC = {"0": 0, "1": 2}   # df=0: IP_PMTUDISC_DONT (no DF, like dig's UDP); df=1: IP_PMTUDISC_DO
PACKET_OUTGOING = 4


# ---------------------------------------------------------------------------------------------- output

def clean(value):
    text = str(value)
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def emit(outcome, **fields):
    parts = ["outcome=" + outcome]
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        parts.append("%s=%s" % (key, clean(value)))
    sys.stdout.write("\t".join(parts) + "\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------------------------- helpers

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip_str(raw):
    return socket.inet_ntoa(raw)


def mac_str(raw):
    return ":".join("%02x" % b for b in raw)


def mac_bytes(text):
    return bytes(int(part, 16) for part in text.split(":"))


class IpPacket:
    """Just the IPv4 fields the probes report; `payload` is what follows the header."""

    def __init__(self, data):
        if len(data) < 20 or data[0] >> 4 != 4:
            raise ValueError("not IPv4")
        ihl = (data[0] & 0x0F) * 4
        self.tos = data[1]
        self.total_length = struct.unpack("!H", data[2:4])[0]
        self.ident = struct.unpack("!H", data[4:6])[0]
        frag = struct.unpack("!H", data[6:8])[0]
        self.df = 1 if frag & 0x4000 else 0
        self.ttl = data[8]
        self.proto = data[9]
        self.src = ip_str(data[12:16])
        self.dst = ip_str(data[16:20])
        self.payload = data[ihl:]


class IcmpError:
    """An ICMP error message and the header it quotes (RFC 792: IP header + first 8 bytes)."""

    def __init__(self, outer):
        icmp = outer.payload
        self.type = icmp[0]
        self.code = icmp[1]
        self.sender = outer.src
        self.ttl = outer.ttl
        self.tos = outer.tos
        self.length = outer.total_length
        self.quoted = IpPacket(icmp[8:])
        l4 = self.quoted.payload
        self.sport = self.dport = self.echo_id = None
        if self.quoted.proto in (6, 17) and len(l4) >= 4:
            self.sport, self.dport = struct.unpack("!HH", l4[:4])
        elif self.quoted.proto == 1 and len(l4) >= 8 and l4[0] == 8:
            self.echo_id = struct.unpack("!H", l4[4:6])[0]

    def fields(self):
        return dict(icmp_type=self.type, icmp_code=self.code, icmp_from=self.sender,
                    icmp_ttl=self.ttl, icmp_tos="0x%02x" % self.tos, icmp_len=self.length,
                    quoted_src=self.quoted.src, quoted_dst=self.quoted.dst,
                    quoted_ttl=self.quoted.ttl,
                    quoted_sport=self.sport, quoted_dport=self.dport)


def icmp_error_of(data):
    try:
        outer = IpPacket(data)
        if outer.proto != 1 or len(outer.payload) < 8 + 20 or outer.payload[0] not in ICMP_ERROR_TYPES:
            return None
        return IcmpError(outer)
    except (ValueError, struct.error, IndexError):
        return None


def raw_icmp_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setblocking(False)
    return sock


def drain(sock):
    packets = []
    while True:
        try:
            packets.append(sock.recv(65535))
        except BlockingIOError:
            return packets


def errname(code):
    return errno.errorcode.get(code, str(code))


# ------------------------------------------------------------------------------------------------ ping

def echo_request(ident, seq, size):
    body = bytes((i + 0x10) & 0xFF for i in range(size))
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    csum = checksum(header + body)
    return struct.pack("!BBHHH", 8, 0, csum, ident, seq) + body


def set_df(sock, df):
    if df != "kernel":
        sock.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC[df])


def probe_ping(args):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, args.ttl)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)  # ping -b: a subnet broadcast destination
    set_df(sock, args.df)
    if args.src:
        sock.bind((args.src, 0))
    sock.sendto(echo_request(args.id, args.seq, args.size), (args.dst, 0))
    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            emit("timeout", echo_id=args.id, seq=args.seq, ttl_sent=args.ttl)
            return
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            continue
        data = sock.recv(65535)
        try:
            packet = IpPacket(data)
        except ValueError:
            continue
        icmp = packet.payload
        if len(icmp) >= 8 and icmp[0] == 0:
            ident, seq = struct.unpack("!HH", icmp[4:8])
            if ident == args.id and seq == args.seq:
                emit("reply", reply_from=packet.src, reply_ttl=packet.ttl, reply_tos="0x%02x" % packet.tos,
                     reply_df=packet.df, echo_id=ident, seq=seq, ttl_sent=args.ttl)
                return
        error = icmp_error_of(data)
        if error is not None and error.quoted.proto == 1 and error.echo_id == args.id \
                and error.quoted.dst == args.dst:
            emit("icmp-error", echo_id=args.id, seq=args.seq, ttl_sent=args.ttl, **error.fields())
            return


# ------------------------------------------------------------------------------------------ udp / dns

def dns_query(name, qid, qtype, edns):
    header = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1 if edns else 0)
    qname = b"".join(bytes([len(label)]) + label.encode("ascii") for label in name.rstrip(".").split(".")) + b"\0"
    question = qname + struct.pack("!HH", qtype, 1)
    opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0) if edns else b""
    return header + question + opt


RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def skip_name(msg, pos):
    while True:
        length = msg[pos]
        if length == 0:
            return pos + 1
        if length & 0xC0 == 0xC0:
            return pos + 2
        pos += 1 + length


def dns_answer_fields(msg, qid):
    ident, flags, qd, an, _ns, _ar = struct.unpack("!HHHHHH", msg[:12])
    pos = 12
    for _ in range(qd):
        pos = skip_name(msg, pos) + 4
    addresses = []
    for _ in range(an):
        pos = skip_name(msg, pos)
        rtype, _rclass, ttl, rdlen = struct.unpack("!HHIH", msg[pos:pos + 10])
        pos += 10
        if rtype == 1 and rdlen == 4:
            addresses.append(ip_str(msg[pos:pos + 4]))
        pos += rdlen
    return dict(rcode=RCODES.get(flags & 0x0F, str(flags & 0x0F)), qid_ok=1 if ident == qid else 0,
                aa=1 if flags & 0x0400 else 0, ra=1 if flags & 0x0080 else 0,
                answers=an, a=addresses if addresses else None)


def udp_exchange(args, payload, on_reply):
    """Sends one datagram from (src, sport); reports the first reply, ICMP error or the timeout."""
    icmp = raw_icmp_socket()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, args.ttl)
    set_df(sock, args.df)
    sock.bind((args.src or "0.0.0.0", args.sport))
    sock.connect((args.dst, args.dport))
    sport = sock.getsockname()[1]
    sock.send(payload)
    deadline = time.monotonic() + args.timeout
    socket_error = None
    while True:
        for data in drain(icmp):
            error = icmp_error_of(data)
            if error is not None and error.quoted.proto == 17 and error.sport == sport \
                    and error.dport == args.dport and error.quoted.dst == args.dst:
                emit("icmp-error", sport=sport, **error.fields())
                return
        if socket_error is not None:
            # The socket saw an error but the raw socket had no matching ICMP (should not happen).
            emit("error", sport=sport, errno=errname(socket_error))
            return
        left = deadline - time.monotonic()
        if left <= 0:
            emit("timeout", sport=sport)
            return
        ready, _, _ = select.select([sock, icmp], [], [], left)
        if sock in ready:
            try:
                data, peer = sock.recvfrom(65535)
            except OSError as exc:
                socket_error = exc.errno
                time.sleep(0.01)
                continue
            on_reply(sport, data, peer)
            return


def probe_udp(args):
    payload = bytes.fromhex(args.hex) if args.hex is not None else args.payload.encode()
    if args.count > 1:
        udp_burst(args, payload)
        return

    def reply(sport, data, peer):
        emit("reply", sport=sport, reply_from="%s:%d" % peer, reply_len=len(data),
             reply_hex=data[:64].hex())

    udp_exchange(args, payload, reply)


def udp_burst(args, payload):
    """The first datagrams of one new flow sent at once from COUNT threads on one socket (the
    conntrack_clash selftest's udpclash): on several CPUs they race to create the same conntrack entry.
    Reports how many replies came back and from where."""
    import threading
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, args.ttl)
    set_df(sock, args.df)
    sock.bind((args.src or "0.0.0.0", args.sport))
    sport = sock.getsockname()[1]
    barrier = threading.Barrier(args.count)
    failures = []

    def send():
        barrier.wait()
        try:
            sock.sendto(payload, (args.dst, args.dport))
        except OSError as exc:
            failures.append(errname(exc.errno))

    threads = [threading.Thread(target=send) for _ in range(args.count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    peers = []
    replies = 0
    deadline = time.monotonic() + args.timeout
    while replies < args.count - len(failures):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            continue
        try:
            _data, peer = sock.recvfrom(65535)
        except OSError:
            continue
        replies += 1
        name = "%s:%d" % peer
        if name not in peers:
            peers.append(name)
    emit("reply" if replies else "timeout", sport=sport, sent=args.count - len(failures), replies=replies,
         reply_from=peers if peers else None, send_errors=failures if failures else None)


def probe_dns(args):
    args.dst = args.server
    args.dport = args.port
    query = dns_query(args.name, args.qid, args.qtype, args.edns)

    def reply(sport, data, peer):
        try:
            fields = dns_answer_fields(data, args.qid)
        except (struct.error, IndexError):
            emit("error", sport=sport, problem="malformed DNS reply", reply_hex=data[:64].hex())
            return
        emit("answer", sport=sport, reply_from="%s:%d" % peer, **fields)

    udp_exchange(args, query, reply)


# ------------------------------------------------------------------------------------------------- tcp

def probe_tcp(args):
    icmp = raw_icmp_socket()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, args.ttl)
    set_df(sock, args.df)
    sock.bind((args.src or "0.0.0.0", args.sport))
    sport = sock.getsockname()[1]
    sock.setblocking(False)
    rc = sock.connect_ex((args.dst, args.dport))
    if rc not in (0, errno.EINPROGRESS):
        emit("error", sport=sport, errno=errname(rc))
        return
    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            emit("timeout", sport=sport)
            return
        _, writable, _ = select.select([], [sock], [], left)
        if writable:
            break
    err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    for data in drain(icmp):
        error = icmp_error_of(data)
        if error is not None and error.quoted.proto == 6 and error.sport == sport \
                and error.dport == args.dport and error.quoted.dst == args.dst:
            emit("icmp-error", sport=sport, errno=errname(err), **error.fields())
            return
    if err == errno.ECONNREFUSED:
        emit("reset", sport=sport)
        return
    if err != 0:
        emit("error", sport=sport, errno=errname(err))
        return
    local = sock.getsockname()
    status = None
    if args.http:
        sock.setblocking(True)
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            sock.sendall(("GET / HTTP/1.0\r\nHost: %s\r\n\r\n" % args.dst).encode())
            head = b""
            while b"\r\n" not in head:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                head += chunk
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            status = line.split(" ")[1] if line.startswith("HTTP/") else "none"
        except OSError as exc:
            status = "error:" + (errname(exc.errno) if exc.errno else type(exc).__name__)
    sock.close()
    emit("connected", sport=sport, local="%s:%d" % local, http_status=status)


# ------------------------------------------------------------------------------------------------ dhcp

DHCP_TYPES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE"}


def dhcp_frame(mac, xid, options):
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128sI", 1, 1, 6, 0, xid, 0, 0, b"\0" * 4, b"\0" * 4,
                        b"\0" * 4, b"\0" * 4, mac + b"\0" * 10, b"\0" * 64, b"\0" * 128, 0x63825363)
    bootp += options + b"\xff"
    bootp += b"\0" * max(0, 300 - len(bootp))  # BOOTP minimum, as busybox udhcpc sends it
    udp_len = 8 + len(bootp)
    src, dst = b"\0" * 4, b"\xff" * 4
    pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", 68, 67, udp_len, 0) + bootp
    csum = checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\xff" * 6 + mac + b"\x08\x00" + ip + udp


def dhcp_client_options(msg_type, mac, params, vendor, extra=b""):
    opts = bytes([53, 1, msg_type]) + extra
    opts += bytes([57, 2]) + struct.pack("!H", 576)
    opts += bytes([55, len(params)]) + bytes(params)
    if vendor:
        opts += bytes([60, len(vendor)]) + vendor.encode()
    opts += bytes([61, 7, 1]) + mac
    return opts


def parse_dhcp_reply(frame, mac, xid):
    """Returns a dict describing a server reply to us, or None for any other frame."""
    if len(frame) < 14 + 20 + 8 + 240 or frame[12:14] != b"\x08\x00":
        return None
    ip = IpPacket(frame[14:])
    if ip.proto != 17:
        return None
    udp = ip.payload
    sport, dport, udp_len = struct.unpack("!HHH", udp[:6])
    bootp = udp[8:udp_len]
    if dport != 68 or len(bootp) < 240 or bootp[0] != 2:
        return None
    if struct.unpack("!I", bootp[4:8])[0] != xid or bootp[28:34] != mac:
        return None
    options, order, pos = {}, [], 240
    while pos < len(bootp):
        code = bootp[pos]
        if code == 0:
            pos += 1
            continue
        order.append(code)
        if code == 255:
            break
        length = bootp[pos + 1]
        options[code] = bootp[pos + 2:pos + 2 + length]
        pos += 2 + length
    return dict(type=options.get(53, b"\0")[0], yiaddr=ip_str(bootp[16:20]), siaddr=ip_str(bootp[20:24]),
                flags=struct.unpack("!H", bootp[10:12])[0], options=options, order=order,
                eth_dst=mac_str(frame[0:6]), eth_src=mac_str(frame[6:12]), ip_src=ip.src, ip_dst=ip.dst,
                ip_tos=ip.tos, ip_ttl=ip.ttl, ip_df=ip.df, udp_sport=sport, udp_len=udp_len)


def addr_list(raw):
    return [ip_str(raw[i:i + 4]) for i in range(0, len(raw) - 3, 4)]


def probe_dhcp(args):
    mac = mac_bytes(args.mac)
    params = [int(p) for p in args.params.split(",")]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    sock.bind((args.ifname, 0x0800))
    xid = args.xid
    start = time.monotonic()
    deadline = start + args.timeout

    def exchange(frame, want_types):
        sent = 0
        next_send = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= deadline:
                return None, sent
            if now >= next_send:
                sock.send(frame)
                sent += 1
                next_send = now + args.retry
            ready, _, _ = select.select([sock], [], [], min(deadline, next_send) - now)
            if not ready:
                continue
            data, addr = sock.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            try:
                reply = parse_dhcp_reply(data, mac, xid)
            except (ValueError, struct.error, IndexError):
                continue
            if reply is not None and reply["type"] in want_types:
                return reply, sent

    discover = dhcp_frame(mac, xid, dhcp_client_options(1, mac, params, args.vendor))
    offer, discovers = exchange(discover, (2,))
    if offer is None:
        emit("timeout", stage="offer", discovers=discovers)
        return
    offer_ms = int((time.monotonic() - start) * 1000)
    server = offer["options"].get(54)
    extra = bytes([50, 4]) + socket.inet_aton(offer["yiaddr"])
    if server is not None:
        extra += bytes([54, 4]) + server
    request = dhcp_frame(mac, xid, dhcp_client_options(3, mac, params, args.vendor, extra))
    ack, requests = exchange(request, (5, 6))
    if ack is None:
        emit("timeout", stage="ack", discovers=discovers, requests=requests, offer_address=offer["yiaddr"])
        return
    opts = ack["options"]

    def one(code, conv):
        return conv(opts[code]) if code in opts else None

    def be32(raw):
        return struct.unpack("!I", raw)[0]

    outcome = "lease" if ack["type"] == 5 else "nak"
    emit(outcome, address=ack["yiaddr"] if outcome == "lease" else None,
         server=one(54, ip_str), siaddr=ack["siaddr"],
         mask=one(1, ip_str), router=one(3, lambda r: addr_list(r)), dns=one(6, lambda r: addr_list(r)),
         broadcast=one(28, ip_str), lease_time=one(51, be32), t1=one(58, be32), t2=one(59, be32),
         domain=one(15, lambda r: r.decode("latin-1")), hostname=one(12, lambda r: r.decode("latin-1")),
         offer_options=offer["order"], ack_options=ack["order"],
         offer_eth_dst=offer["eth_dst"], offer_ip_dst=offer["ip_dst"], offer_ip_src=offer["ip_src"],
         offer_tos="0x%02x" % offer["ip_tos"], offer_ttl=offer["ip_ttl"], offer_df=offer["ip_df"],
         offer_udp_len=offer["udp_len"], offer_flags="0x%04x" % offer["flags"],
         ack_eth_dst=ack["eth_dst"], ack_tos="0x%02x" % ack["ip_tos"], ack_udp_len=ack["udp_len"],
         discovers=discovers, requests=requests, offer_ms=offer_ms, xid="0x%08x" % xid)


# --------------------------------------------------------------------------------------------- capture

def run_capture(args):
    """Writes every frame seen on one interface (both directions) to a classic pcap file."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    sock.bind((args.ifname, 0))
    with open(args.file, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        out.flush()
        with open(args.ready, "w") as ready:
            ready.write("ready\n")
        while not stop:
            try:
                readable, _, _ = select.select([sock], [], [], 0.2)
            except InterruptedError:
                continue
            if not readable:
                continue
            data = sock.recv(262144)
            now = time.time()
            sec = int(now)
            out.write(struct.pack("<IIII", sec, int((now - sec) * 1e6), len(data), len(data)) + data)
            out.flush()


# ------------------------------------------------------------------------------------------ inet daemon

def run_inetd(args):
    """The internet's services: logs every TCP/UDP/ICMP packet arriving, answers HTTP and UDP echo.

    Closed ports are left closed so the kernel answers them itself (RST, port unreachable). DNS is a
    separate dnsmasq, like the reference host's internet."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    log = open(args.log, "a", buffering=1)
    sniffers = {}
    for proto in (socket.IPPROTO_ICMP, socket.IPPROTO_UDP, socket.IPPROTO_TCP):
        sniffer = socket.socket(socket.AF_INET, socket.SOCK_RAW, proto)
        sniffer.setblocking(False)
        sniffers[sniffer] = proto
    servers = {}
    for spec in args.http:
        host, port = spec.rsplit(":", 1)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, int(port)))
        listener.listen(16)
        listener.setblocking(False)
        servers[listener] = "http"
    for spec in args.echo:
        host, port = spec.rsplit(":", 1)
        echo = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        echo.bind((host, int(port)))
        echo.setblocking(False)
        servers[echo] = "echo"
    # Sync point for `seen`: a packet that reached this namespace is already queued on the sniffers when
    # the probe that sent it finishes, so draining them before answering makes the log complete.
    control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    control.bind(args.control)
    control.listen(4)
    servers[control] = "control"

    def log_arrivals(sock):
        for data in drain(sock):
            line = describe_arrival(data)
            if line:
                log.write(line + "\n")

    with open(args.ready, "w") as ready:
        ready.write("ready\n")
    while not stop:
        try:
            readable, _, _ = select.select(list(sniffers) + list(servers), [], [], 0.2)
        except InterruptedError:
            continue
        for sock in readable:
            if sock in sniffers:
                log_arrivals(sock)
            elif servers[sock] == "control":
                conn, _ = sock.accept()
                for sniffer in sniffers:
                    log_arrivals(sniffer)
                log.flush()
                try:
                    conn.sendall(b"ok\n")
                except OSError:
                    pass
                conn.close()
            elif servers[sock] == "http":
                serve_http(sock)
            else:
                try:
                    data, peer = sock.recvfrom(65535)
                    sock.sendto(data, peer)
                except OSError:
                    pass


def describe_arrival(data):
    try:
        packet = IpPacket(data)
    except ValueError:
        return None
    l4 = packet.payload
    common = "ttl=%d\ttos=0x%02x\tdf=%d\tid=%d" % (packet.ttl, packet.tos, packet.df, packet.ident)
    if packet.proto in (6, 17) and len(l4) >= 4:
        sport, dport = struct.unpack("!HH", l4[:4])
        name = "tcp" if packet.proto == 6 else "udp"
        extra = ""
        if packet.proto == 6 and len(l4) >= 14:
            flags = l4[13]
            extra = "\tflags=" + "".join(c for bit, c in ((0x02, "S"), (0x10, "A"), (0x01, "F"), (0x04, "R"),
                                                           (0x08, "P")) if flags & bit)
        return "%s\t%s:%d>%s:%d\t%s%s" % (name, packet.src, sport, packet.dst, dport, common, extra)
    if packet.proto == 1 and len(l4) >= 8:
        if l4[0] in (0, 8):
            ident = struct.unpack("!H", l4[4:6])[0]
            return "icmp\t%s#%d>%s\t%s\ttype=%d" % (packet.src, ident, packet.dst, common, l4[0])
        return "icmp\t%s>%s\t%s\ttype=%d\tcode=%d" % (packet.src, packet.dst, common, l4[0], l4[1])
    return None


def serve_http(listener):
    try:
        conn, _ = listener.accept()
    except OSError:
        return
    conn.settimeout(2)
    try:
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            request += chunk
        body = b"vnetlab-oracle internet\n"
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n" % len(body) + body)
    except OSError:
        pass
    finally:
        conn.close()


def summarize_seen(args):
    """Prints the distinct flows that arrived at the internet after byte OFFSET of its log."""
    if args.control:
        sync = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sync.settimeout(5)
        sync.connect(args.control)
        sync.recv(16)
        sync.close()
    with open(args.log, "rb") as log:
        log.seek(args.offset)
        lines = log.read().decode("ascii", "replace").splitlines()
    flows = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) < 3:
            continue
        key = fields[0] + ":" + fields[1]
        ttl = fields[2]
        entry = "%s/%s" % (key, ttl)
        if not any(e.startswith(key + "/") for e in flows):
            flows.append(entry)
    print(",".join(flows))


# -------------------------------------------------------------------------------------------- offloads

SIOCETHTOOL = 0x8946
ETHTOOL_SET = {"rx": 0x15, "tx": 0x17, "sg": 0x19, "tso": 0x1F, "gso": 0x24, "gro": 0x2C}


def set_offloads_off(args):
    """Turns checksum/segmentation offloads off, like `ethtool -K IF tx off ...`, so the bytes a
    capture sees are final (correct checksums, no super-packets)."""
    import array
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    failed = []
    for ifname in args.ifnames:
        for name, cmd in ETHTOOL_SET.items():
            value = array.array("B", struct.pack("II", cmd, 0))
            address, _ = value.buffer_info()
            ifreq = struct.pack("16sP", ifname.encode(), address)
            try:
                fcntl.ioctl(sock.fileno(), SIOCETHTOOL, ifreq)
            except OSError as exc:
                failed.append("%s:%s:%s" % (ifname, name, errname(exc.errno)))
    print(",".join(failed) if failed else "ok")


# ---------------------------------------------------------------------------------------------- main

def main(argv):
    parser = argparse.ArgumentParser(prog="oracle_probe.py")
    sub = parser.add_subparsers(dest="cmd", required=True)

    def common(p, dport=True, df="kernel"):
        p.add_argument("--df", choices=("0", "1", "kernel"), default=df)
        p.add_argument("--src", default=None)
        p.add_argument("--sport", type=int, default=0)
        p.add_argument("--ttl", type=int, default=64)
        p.add_argument("--timeout", type=float, default=2.0)
        if dport:
            p.add_argument("--dst", required=True)
            p.add_argument("--dport", type=int, required=True)

    p = sub.add_parser("ping")
    p.add_argument("--dst", required=True)
    p.add_argument("--src", default=None)
    p.add_argument("--ttl", type=int, default=64)
    p.add_argument("--id", type=int, default=4097)
    p.add_argument("--seq", type=int, default=1)
    p.add_argument("--size", type=int, default=56)
    p.add_argument("--df", choices=("0", "1", "kernel"), default="kernel")
    p.add_argument("--timeout", type=float, default=2.0)

    p = sub.add_parser("udp")
    common(p, df="0")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--payload", default="vnetlab-oracle")
    p.add_argument("--hex", default=None)

    p = sub.add_parser("dns")
    common(p, dport=False, df="0")
    p.add_argument("--server", required=True)
    p.add_argument("--port", type=int, default=53)
    p.add_argument("--name", required=True)
    p.add_argument("--qtype", type=int, default=1)
    p.add_argument("--qid", type=int, default=4660)
    p.add_argument("--edns", type=int, default=1)

    p = sub.add_parser("tcp")
    common(p)
    p.add_argument("--http", type=int, default=0)

    p = sub.add_parser("dhcp")
    p.add_argument("--ifname", required=True)
    p.add_argument("--mac", required=True)
    p.add_argument("--params", default="1,3,6,12,15,28,42")
    p.add_argument("--vendor", default="udhcp 1.35.0")
    p.add_argument("--xid", type=lambda s: int(s, 0), default=0x9489B65B)
    p.add_argument("--retry", type=float, default=3.0)
    p.add_argument("--timeout", type=float, default=12.0)

    p = sub.add_parser("capture")
    p.add_argument("--ifname", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--ready", required=True)

    p = sub.add_parser("inetd")
    p.add_argument("--log", required=True)
    p.add_argument("--ready", required=True)
    p.add_argument("--http", action="append", default=[])
    p.add_argument("--echo", action="append", default=[])
    p.add_argument("--control", required=True)

    p = sub.add_parser("seen")
    p.add_argument("--log", required=True)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--control", default=None)

    p = sub.add_parser("offloads-off")
    p.add_argument("ifnames", nargs="+")

    args = parser.parse_args(argv)
    handlers = {"ping": probe_ping, "udp": probe_udp, "dns": probe_dns, "tcp": probe_tcp, "dhcp": probe_dhcp,
                "capture": run_capture, "inetd": run_inetd, "seen": summarize_seen,
                "offloads-off": set_offloads_off}
    try:
        handlers[args.cmd](args)
    except OSError as exc:
        emit("error", problem="%s: %s" % (type(exc).__name__, exc))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
