#!/usr/bin/python3
"""Small network helpers for the mailprobe testbed (stdlib only).

  tbhelper.py wait TIMEOUT CAFILE SPEC...      wait until every listener greets
        SPEC = host:port:tls:expect[:name]     tls = none|implicit[-noverify], expect = greeting prefix,
                                               name = text the greeting must contain
  tbhelper.py blackhole LISTEN...              accept TCP on host:port, never say a word
  tbhelper.py slow DELAY MAP...                TCP proxy, MAP = fhost:fport=bhost:bport; every
                                               server->client chunk is held DELAY seconds
  tbhelper.py servedcert HOST PORT TLS         print notAfter and SAN of the served certificate
                                               (TLS = implicit|smtp|imap|pop3, no verification)

blackhole and slow run in the foreground until SIGTERM; the caller backgrounds them.
"""
import asyncio
import signal
import socket
import ssl
import sys
import time


def parse_hp(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


# ---------------------------------------------------------------- wait
def greet_once(host, port, tls, expect, name, cafile, timeout=2.0):
    raw = socket.create_connection((host, port), timeout=timeout, source_address=("127.0.0.1", 0))
    try:
        sock = raw
        if tls in ("implicit", "implicit-noverify"):
            ctx = ssl.create_default_context(cafile=cafile)
            if tls == "implicit-noverify":  # backend address of a slow node: not in the SANs
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            sock = ctx.wrap_socket(raw, server_hostname=host)
        sock.settimeout(timeout)
        data = b""
        while b"\n" not in data:
            chunk = sock.recv(1024)
            if not chunk:
                break
            data += chunk
        line = data.decode("latin-1").strip()
        if not line.startswith(expect):
            raise RuntimeError("unexpected greeting %r" % line)
        if name and name not in line:
            raise RuntimeError("greeting %r does not name %s" % (line, name))
        return line
    finally:
        try:
            raw.close()
        except OSError:
            pass


def cmd_wait(args):
    timeout = float(args[0])
    cafile = args[1]
    specs = []
    for s in args[2:]:
        parts = s.split(":")
        host, port, tls, expect = parts[0], int(parts[1]), parts[2], parts[3]
        name = parts[4] if len(parts) > 4 else ""
        specs.append((host, port, tls, expect.replace("_", " "), name))
    deadline = time.monotonic() + timeout
    pending = list(specs)
    last_err = {}
    while pending:
        still = []
        for spec in pending:
            try:
                greet_once(*spec, cafile=cafile)
            except Exception as e:  # noqa: BLE001 - report any failure
                last_err[spec] = "%s: %s" % (type(e).__name__, e)
                still.append(spec)
        pending = still
        if not pending:
            break
        if time.monotonic() > deadline:
            for spec in pending:
                print("not ready: %s:%d (%s) -> %s" % (spec[0], spec[1], spec[2], last_err.get(spec)),
                      file=sys.stderr)
            return 1
        time.sleep(0.1)
    return 0


# ---------------------------------------------------------------- servers
async def _serve_forever(servers):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for s in servers:
        s.close()


def cmd_blackhole(args):
    async def handle(reader, writer):
        try:
            while await reader.read(4096):
                pass  # swallow whatever the client says, never answer
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def main():
        servers = []
        for spec in args:
            host, port = parse_hp(spec)
            servers.append(await asyncio.start_server(handle, host, port, reuse_address=True))
        print("blackhole listening on %s" % " ".join(args), flush=True)
        await _serve_forever(servers)

    asyncio.run(main())
    return 0


def cmd_slow(args):
    delay = float(args[0])

    async def pump_now(reader, writer):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            writer.close()

    async def pump_delayed(reader, writer):
        queue = asyncio.Queue()

        async def read_side():
            try:
                while True:
                    data = await reader.read(65536)
                    await queue.put((time.monotonic() + delay, data))
                    if not data:
                        return
            except (ConnectionError, OSError):
                await queue.put((time.monotonic() + delay, b""))

        async def write_side():
            try:
                while True:
                    due, data = await queue.get()
                    wait = due - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    if not data:
                        break
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        await asyncio.gather(read_side(), write_side())

    def make_handler(bhost, bport):
        async def handle(creader, cwriter):
            try:
                breader, bwriter = await asyncio.open_connection(bhost, bport, local_addr=("127.0.0.1", 0))
            except OSError:
                cwriter.close()
                return
            await asyncio.gather(pump_now(creader, bwriter), pump_delayed(breader, cwriter),
                                 return_exceptions=True)
            bwriter.close()
            cwriter.close()
        return handle

    async def main():
        servers = []
        for spec in args[1:]:
            front, back = spec.split("=")
            fhost, fport = parse_hp(front)
            bhost, bport = parse_hp(back)
            servers.append(await asyncio.start_server(make_handler(bhost, bport), fhost, fport,
                                                      reuse_address=True))
        print("slow proxy (%.1fs) %s" % (delay, " ".join(args[1:])), flush=True)
        await _serve_forever(servers)

    asyncio.run(main())
    return 0


# ---------------------------------------------------------------- servedcert
def cmd_servedcert(args):
    host, port, mode = args[0], int(args[1]), args[2]
    raw = socket.create_connection((host, port), timeout=5, source_address=("127.0.0.1", 0))
    f = raw.makefile("rb")
    if mode == "smtp":
        f.readline()
        raw.sendall(b"EHLO servedcert.invalid\r\n")
        while True:
            line = f.readline()
            if line[3:4] != b"-":
                break
        raw.sendall(b"STARTTLS\r\n")
        f.readline()
    elif mode == "imap":
        f.readline()
        raw.sendall(b"a STARTTLS\r\n")
        f.readline()
    elif mode == "pop3":
        f.readline()
        raw.sendall(b"STLS\r\n")
        f.readline()
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    tls = ctx.wrap_socket(raw, server_hostname=host)
    der = tls.getpeercert(binary_form=True)
    tls.close()
    sys.stdout.write(ssl.DER_cert_to_PEM_cert(der))
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    return {"wait": cmd_wait, "blackhole": cmd_blackhole, "slow": cmd_slow,
            "servedcert": cmd_servedcert}[cmd](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
