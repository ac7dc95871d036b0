#!/usr/bin/env python3
"""Load scenarios against Herald (and Nchan, for comparison), driven by Benchmarks/herald-load.

    python3 Benchmarks/run.py                      # every scenario against Herald
    python3 Benchmarks/run.py --quick              # small sizes, about a minute: a smoke test
    python3 Benchmarks/run.py --server both        # Herald and Nchan, then Herald/Nchan ratios
    python3 Benchmarks/run.py --scenarios fanout,setup --idle-50k
    python3 Benchmarks/run.py --quick --protocol socketio   # Herald's clients speak Socket.IO (or pusher)

Each scenario starts the server afresh (Herald: `herald run` with a temporary configuration and every limit
off; Nchan: a private nginx with the nchan module), pins it to CPU 0 and the generator to CPU 1, runs one or
more herald-load invocations and samples the server's processes from /proc: resident memory (the sum of VmRSS)
before and after the connections are set up, and CPU time (utime + stime) per process over the run. It prints a
markdown table and writes every figure to a JSON file. `--protocol` picks what the generator speaks to Herald:
its native protocol, Socket.IO v4 or Pusher protocol 7 (Nchan always gets its own).
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAD_SRC = os.path.join(ROOT, "Benchmarks", "herald-load")
TOKENS_PY = os.path.join(ROOT, "Benchmarks", "tokens.py")
JWT_SECRET = "bench-secret-7c1f0e9a4b2d48e6a3f5c7d9e1b2a4c6"
SERVER_CPU = 0
LOAD_CPU = 1
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nofile_max():
    """The most descriptors a process here may hold: the kernel's nr_open, or less when the hard limit is lower
    and cannot be raised (a container without CAP_SYS_RESOURCE)."""
    try:
        with open("/proc/sys/fs/nr_open") as f:
            want = min(int(f.read()), 1 << 20)
    except OSError:
        want = 1 << 20
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, want))
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, want))
            return want
        except (ValueError, OSError):
            return hard
    return want


# Descriptors a server or the generator needs beside its client connections.
FD_HEADROOM = 200


def pinned_to(cpu):
    """preexec_fn for a child: one CPU, its own session, and as many descriptors as the kernel allows."""

    def prepare():
        os.setsid()
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})
        n = nofile_max()
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
        except (ValueError, OSError):
            pass

    return prepare


# ---- /proc sampling -------------------------------------------------------------------------------------


def children_of(ppid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == ppid:
            found.append(int(entry))
    return found


def process_name(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv0 = f.read().split(b"\0")[0].decode(errors="replace")
        return os.path.basename(argv0.split(":")[0]) or str(pid)
    except OSError:
        return str(pid)


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def allowed_cpus(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Cpus_allowed_list:"):
                    return line.split()[1]
    except OSError:
        pass
    return "?"


class Sample:
    def __init__(self, server):
        self.at = time.monotonic()
        self.rss = {server.name_of(pid): rss_kb(pid) for pid in server.pids}
        self.cpu = {server.name_of(pid): cpu_seconds(pid) for pid in server.pids}

    @property
    def rss_total(self):
        return sum(self.rss.values())


# ---- servers ---------------------------------------------------------------------------------------------


# The WebSocket path of each protocol herald-load speaks to Herald. The Pusher key is that of the development app
# (`lottery`), which Herald's default configuration carries and the benchmark configuration does not override.
# Every protocol subscribes to the same channels, `public.bench.N`: the built-in rule `public.*` admits anyone,
# anonymous Pusher connections included.
HERALD_WS_PATHS = {
    "native": "/ws?token={token}",
    "socketio": "/socket.io/?EIO=4&transport=websocket",
    "pusher": "/app/lottery-key?protocol=7&client=js&version=8.4.0&flash=false",
}


class Herald:
    name = "herald"

    def __init__(self, bin_dir, pin, protocol="native"):
        self.bin_dir = bin_dir
        self.pin = pin
        self.protocol = protocol
        self.proc = None

    def start(self):
        self.workdir = tempfile.mkdtemp(prefix="herald-bench-")
        self.pub_port, self.ws_port = free_port(), free_port()
        config = os.path.join(self.workdir, "herald.yaml")
        with open(config, "w") as f:
            f.write(
                f'ingress: {{listen: "127.0.0.1:{self.pub_port}"}}\n'
                f'edge: {{listen: "127.0.0.1:{self.ws_port}", allowed_origins: ["*"], '
                f"max_pending_bytes_per_connection: 4194304}}\n"
                f'auth: {{jwt_secret: "{JWT_SECRET}"}}\n'
                "limits: {channel_events_per_minute: 0, global_events_per_minute: 0, connections_per_user: 0, "
                "connection_attempts_per_ip_per_minute: 0, connections_per_edge: 0}\n"
            )
        self.log = open(os.path.join(self.workdir, "herald.log"), "w+")
        self.proc = subprocess.Popen(
            [os.path.join(self.bin_dir, "herald"), "run", "--config", config, "--runtime-dir",
             os.path.join(self.workdir, "run")],
            stdout=subprocess.DEVNULL, stderr=self.log, preexec_fn=pinned_to(SERVER_CPU if self.pin else None),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(self.log.name) as f:
                if "Herald is running" in f.read():
                    break
            if self.proc.poll() is not None:
                raise RuntimeError(f"herald run exited with {self.proc.returncode}; see {self.log.name}")
            time.sleep(0.1)
        else:
            raise RuntimeError(f"Herald did not report running within 60 s; see {self.log.name}")
        self.pids = sorted(children_of(self.proc.pid), key=self.name_of)
        self.names = {pid: process_name(pid) for pid in self.pids}
        if len(self.pids) != 4:
            raise RuntimeError(f"expected four stage processes under herald run, found {self.names}")
        return self

    def name_of(self, pid):
        return getattr(self, "names", {}).get(pid) or process_name(pid)

    def load_args(self):
        return ["--protocol", self.protocol, "--ws-port", str(self.ws_port), "--ws-path", HERALD_WS_PATHS[self.protocol],
                "--channel-fmt", "public.bench.%d", "--pub-port", str(self.pub_port), "--pub-path", "/api/broadcast",
                "--pub-auth", "Bearer dev-api-key"]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        for pid in getattr(self, "pids", []):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


NCHAN_MODULE_DIRS = ["/usr/lib/nginx/modules", "/usr/share/nginx/modules"]


def nchan_module():
    for d in NCHAN_MODULE_DIRS:
        path = os.path.join(d, "ngx_nchan_module.so")
        if os.path.exists(path):
            return path
    conf = "/usr/share/nginx/modules-available/mod-nchan.conf"
    if os.path.exists(conf):
        m = re.search(r"load_module\s+(\S+);", open(conf).read())
        if m and os.path.exists(m.group(1)):
            return m.group(1)
    raise RuntimeError("the nchan module is not installed: apt-get install -y nginx libnginx-mod-nchan")


class Nchan:
    """A private nginx with one worker: a publisher location and a WebSocket subscriber location."""

    name = "nchan"
    protocol = "nchan"

    def __init__(self, pin):
        self.pin = pin
        self.proc = None

    def start(self):
        self.workdir = tempfile.mkdtemp(prefix="nchan-bench-")
        self.pub_port, self.ws_port = free_port(), free_port()
        w = self.workdir
        for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(w, d))
        conf = os.path.join(w, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""load_module {nchan_module()};
worker_processes 1;
worker_rlimit_nofile {nofile_max()};
daemon off;
pid {w}/nginx.pid;
error_log {w}/error.log warn;
events {{ worker_connections 200000; use epoll; multi_accept on; }}
http {{
    access_log off;
    client_body_temp_path {w}/body;
    proxy_temp_path {w}/proxy;
    fastcgi_temp_path {w}/fastcgi;
    uwsgi_temp_path {w}/uwsgi;
    scgi_temp_path {w}/scgi;
    nchan_max_reserved_memory 256M;
    server {{
        listen 127.0.0.1:{self.pub_port};
        location = /pub {{
            nchan_publisher;
            nchan_channel_id $arg_id;
            nchan_message_buffer_length 16;
            nchan_message_timeout 30s;
        }}
    }}
    server {{
        listen 127.0.0.1:{self.ws_port};
        location = /sub {{
            nchan_subscriber websocket;
            nchan_channel_id $arg_id;
            nchan_subscriber_first_message newest;
        }}
    }}
}}
""")
        self.log = open(os.path.join(w, "stderr.log"), "w+")
        self.proc = subprocess.Popen(["nginx", "-c", conf, "-p", w], stdout=subprocess.DEVNULL, stderr=self.log,
                                     preexec_fn=pinned_to(SERVER_CPU if self.pin else None))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: {open(self.log.name).read()}")
            try:
                socket.create_connection(("127.0.0.1", self.ws_port), 0.2).close()
                socket.create_connection(("127.0.0.1", self.pub_port), 0.2).close()
                if children_of(self.proc.pid):
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("nginx did not start listening within 20 s")
        self.pids = [self.proc.pid] + children_of(self.proc.pid)
        self.names = {self.proc.pid: "nginx-master"}
        self.names.update({pid: f"nginx-worker" for pid in self.pids[1:]})
        return self

    def name_of(self, pid):
        return self.names.get(pid, str(pid))

    def load_args(self):
        return ["--protocol", "nchan", "--ws-port", str(self.ws_port), "--ws-path", "/sub?id={channel}",
                "--channel-fmt", "bench%d", "--pub-port", str(self.pub_port), "--pub-path", "/pub?id={channel}",
                "--pub-auth", ""]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


# ---- the generator ----------------------------------------------------------------------------------------


class Runner:
    def __init__(self, load_bin, tokens_file, pin, log):
        self.load_bin = load_bin
        self.tokens_file = tokens_file
        self.pin = pin
        self.log = log

    def run(self, server, args, on_ready=None):
        """One herald-load run; returns its JSON plus the server samples around it."""
        # Four loopback source addresses: connect() slows down as one address's ephemeral ports fill up.
        cmd = ([self.load_bin, "--tokens", self.tokens_file, "--src-addrs", "4"] + server.load_args()
               + [str(a) for a in args])
        before = Sample(server)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=pinned_to(LOAD_CPU if self.pin else None))
        samples = {}
        stderr_lines = []

        def read_stderr():
            for line in proc.stderr:
                stderr_lines.append(line.rstrip("\n"))
                if "READY" in line:
                    samples["ready"] = Sample(server)
                    if on_ready:
                        on_ready()
                elif "HELD" in line:
                    samples["held"] = Sample(server)

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        out = proc.stdout.read()
        proc.wait()
        reader.join(5)
        after = Sample(server)
        for line in stderr_lines:
            self.log(f"    {line}")
        try:
            result = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise RuntimeError(f"herald-load printed no result (exit {proc.returncode}): {out!r}")
        if "error" in result:
            raise RuntimeError(f"herald-load: {result['error']}")
        ready = samples.get("ready", after)
        established = result["setup"]["established"]
        result["server"] = {
            "rss_kb_before": before.rss_total,
            "rss_kb_connected": ready.rss_total,
            "rss_kb_held": samples["held"].rss_total if "held" in samples else None,
            "rss_kb_after": after.rss_total,
            "rss_kb_by_process_connected": ready.rss,
            "rss_bytes_per_connection": round((ready.rss_total - before.rss_total) * 1024 / established)
            if established else None,
            "cpu_seconds": {name: round(after.cpu[name] - before.cpu.get(name, 0), 2) for name in after.cpu},
            "wall_seconds": round(after.at - before.at, 2),
        }
        result["command"] = " ".join(cmd)
        return result


# ---- scenarios ----------------------------------------------------------------------------------------------


def sizes(quick, idle_50k):
    if quick:
        return {
            "fanout": [50, 200], "fanout_rate": 20, "duration": 3,
            "many": 200, "many_outstanding": 32,
            "setup": 200, "idle": [200], "hold": 2,
            "saturation_conns": 200, "saturation_channels": 20, "saturation_steps": [100, 400], "step_seconds": 2,
            "pipeline_subs": 5, "pipeline_outstanding": 32,
        }
    return {
        "fanout": [100, 1000, 5000], "fanout_rate": 20, "duration": 10,
        "many": 5000, "many_outstanding": 64,
        "setup": 10000, "idle": [20000] + ([50000] if idle_50k else []), "hold": 10,
        "saturation_conns": 1000, "saturation_channels": 100,
        "saturation_steps": [250, 500, 1000, 2000, 4000, 8000, 16000], "step_seconds": 5,
        "pipeline_subs": 10, "pipeline_outstanding": 64,
    }


def run_scenario(name, server, runner, s, log):
    """Yields (label, result) rows for one scenario against one server; the server is restarted per row."""
    def fresh(args, label):
        server.start()
        cpus = allowed_cpus(server.pids[-1])
        try:
            log(f"  {label}: {server.name} pid(s) {server.pids} on CPU {cpus}")
            result = runner.run(server, args)
            result["server"]["cpus_allowed"] = cpus
            return result
        finally:
            server.stop()

    d = s["duration"]
    if name == "fanout":
        for n in s["fanout"]:
            yield f"fan-out {n}", fresh(["--conns", n, "--channels", 1, "--rate", s["fanout_rate"], "--duration", d,
                                         "--pub-conns", 4], f"fan-out {n}")
    elif name == "many":
        n = s["many"]
        yield f"many channels {n}", fresh(["--conns", n, "--channels", n, "--outstanding", s["many_outstanding"],
                                           "--pub-conns", 16, "--duration", d], f"many channels {n}")
    elif name == "setup":
        n = s["setup"]
        yield f"setup {n}", fresh(["--conns", n, "--concurrency", 256, "--setup-timeout", 120], f"setup {n}")
    elif name == "idle":
        for n in s["idle"]:
            yield f"idle {n}", fresh(["--conns", n, "--channels", 1, "--concurrency", 256, "--setup-timeout", 300,
                                      "--hold", s["hold"], "--rate", 1,
                                      "--duration", 3, "--drain", 10], f"idle {n}")
    elif name == "saturation":
        server.start()
        try:
            cpus = allowed_cpus(server.pids[-1])
            log(f"  saturation: {server.name} pid(s) {server.pids} on CPU {cpus}")
            steps = []
            best = None
            for rate in s["saturation_steps"]:
                r = runner.run(server, ["--conns", s["saturation_conns"], "--channels", s["saturation_channels"],
                                        "--rate", rate, "--pub-conns", 32, "--duration", s["step_seconds"],
                                        "--drain", 5])
                lat = r["delivery"]["latency_ms"]
                ok = (lat["p99"] <= 50 and r["delivery"]["loss"] == 0 and r["publish"]["refused"] == 0
                      and r["publish"]["errors"] == 0 and r["publish"]["rate"] >= 0.95 * rate)
                steps.append({"rate": rate, "pass": ok, "achieved": r["publish"]["rate"], "p99_ms": lat["p99"],
                              "loss": r["delivery"]["loss"], "ack_p99_ms": r["publish"]["ack_ms"]["p99"],
                              "server_cpu_seconds": round(sum(r["server"]["cpu_seconds"].values()), 2),
                              "wall_seconds": r["server"]["wall_seconds"]})
                log(f"    step {rate}/s: achieved {r['publish']['rate']:.0f}/s, p99 {lat['p99']:.1f} ms, "
                    f"loss {r['delivery']['loss']} -> {'pass' if ok else 'FAIL'}")
                if not ok:
                    break
                best = (rate, r)
        finally:
            server.stop()
        result = best[1] if best else r
        result["saturation"] = {"highest_passing_rate": best[0] if best else 0, "steps": steps,
                                "criterion": "p99 <= 50 ms, no loss, no refusals, >= 95% of the target rate"}
        result["server"]["cpus_allowed"] = cpus
        yield f"saturation ({s['saturation_conns']} conns / {s['saturation_channels']} ch)", result
    elif name == "pipeline":
        n = s["pipeline_subs"]
        yield f"pipeline ({n} subs)", fresh(["--conns", n, "--channels", 1, "--outstanding",
                                              s["pipeline_outstanding"], "--pub-conns", 16, "--duration", d],
                                             f"pipeline {n}")


SCENARIOS = ["fanout", "many", "setup", "idle", "saturation", "pipeline"]


# ---- report --------------------------------------------------------------------------------------------------


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


SHORT = {"herald-ingress": "ing", "herald-authorizer": "auth", "herald-batcher": "bat", "herald-ws-edge": "edge",
         "nginx-master": "master", "nginx-worker": "worker"}


def short(name):
    return SHORT.get(name, name)


def table(rows):
    head = ("| scenario | server | conns | setup/s | setup p50 / p99 ms | events/s | deliveries/s | "
            "latency p50 / p99 / p99.9 ms | loss | RSS/conn | server CPU s |")
    lines = [head, "|" + "---|" * 11]
    for label, server, r in rows:
        setup, pub, dl, sv = r["setup"], r["publish"], r["delivery"], r["server"]
        sat = r.get("saturation")
        events = f"{fmt(pub['rate'], 0)}" if pub["mode"] != "none" else "–"
        if sat:
            events = f"**{fmt(sat['highest_passing_rate'])}** max"
        lat = dl["latency_ms"]
        latency = f"{lat['p50']:.2f} / {lat['p99']:.2f} / {lat['p999']:.2f}" if lat["count"] else "–"
        # Per-connection memory only where connections dominate it: not for a handful of connections, and not
        # for saturation, whose steps reconnect into a server that kept the previous steps' memory.
        rss = sv["rss_bytes_per_connection"] if setup["established"] >= 1000 and not sat else None
        cpu = sv["cpu_seconds"]
        cpu_text = f"{sum(cpu.values()):.2f} (" + ", ".join(f"{short(k)} {v:.2f}" for k, v in cpu.items()) + ")"
        lines.append(
            f"| {label} | {server} | {fmt(setup['established'])}"
            + (f" ({setup['failed']} failed)" if setup["failed"] else "")
            + f" | {fmt(setup['per_second'], 0)} | {setup['latency_ms']['p50']:.1f} / {setup['latency_ms']['p99']:.1f}"
            f" | {events} | {fmt(dl['per_second'], 0) if dl['delivered'] else '–'} | {latency}"
            f" | {dl['loss'] if pub['mode'] != 'none' else '–'}"
            f" | {fmt(rss / 1024, 1) + ' KiB' if rss is not None else '–'} | {cpu_text} |"
        )
    return "\n".join(lines)


def rss_of(r):
    if r["setup"]["established"] < 1000 or "saturation" in r:
        return None
    return r["server"]["rss_bytes_per_connection"]


def ratio_table(rows):
    by = {}
    for label, server, r in rows:
        by.setdefault(label, {})[server] = r
    lines = ["| scenario | setup/s | setup p99 | events/s | deliveries/s | latency p99 | RSS/conn | server CPU |",
             "|" + "---|" * 8]

    def ratio(a, b):
        return f"{a / b:.2f}×" if a and b else "–"

    for label, pair in by.items():
        if "herald" not in pair or "nchan" not in pair:
            continue
        h, n = pair["herald"], pair["nchan"]
        he = h.get("saturation", {}).get("highest_passing_rate") or h["publish"]["rate"]
        ne = n.get("saturation", {}).get("highest_passing_rate") or n["publish"]["rate"]
        lines.append(
            f"| {label} | {ratio(h['setup']['per_second'], n['setup']['per_second'])}"
            f" | {ratio(h['setup']['latency_ms']['p99'], n['setup']['latency_ms']['p99'])}"
            f" | {ratio(he, ne)} | {ratio(h['delivery']['per_second'], n['delivery']['per_second'])}"
            f" | {ratio(h['delivery']['latency_ms']['p99'], n['delivery']['latency_ms']['p99'])}"
            f" | {ratio(rss_of(h), rss_of(n))}"
            f" | {ratio(sum(h['server']['cpu_seconds'].values()), sum(n['server']['cpu_seconds'].values()))} |"
        )
    return "\n".join(lines)


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) // 1024
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_mib": mem, "kernel": platform.release(),
            "loadavg": open("/proc/loadavg").read().split()[:3]}


def build_load(path):
    src = [os.path.join(LOAD_SRC, f) for f in ("main.c", "hist.c")]
    if os.path.exists(path) and all(os.path.getmtime(path) >= os.path.getmtime(f) for f in src):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    subprocess.run(["cc", "-O2", "-Wall", "-o", path] + src, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=["herald", "nchan", "both"], default="herald")
    parser.add_argument("--protocol", choices=sorted(HERALD_WS_PATHS), default="native",
                        help="what the generator speaks to Herald (default native); Nchan keeps its own")
    parser.add_argument("--quick", action="store_true", help="small sizes and 2–3 s runs: a smoke test")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated: {','.join(SCENARIOS)}")
    parser.add_argument("--idle-50k", action="store_true", help="also hold 50,000 idle connections")
    parser.add_argument("--bin-dir", default=os.path.join(ROOT, ".build", "release"))
    parser.add_argument("--load", default=os.path.join(ROOT, ".build", "herald-load"), help="herald-load binary")
    parser.add_argument("--out", default=os.path.join(ROOT, ".build", "bench-results.json"))
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server and the generator to CPUs")
    args = parser.parse_args()

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    pin = not args.no_pin and os.cpu_count() >= 2
    build_load(args.load)
    s = sizes(args.quick, args.idle_50k)
    capped = []
    fd_cap = nofile_max() - FD_HEADROOM
    for key in ("idle", "fanout"):
        if max(s[key]) > fd_cap:
            capped.append(f"{key}: {max(s[key])} connections capped to {fd_cap} by RLIMIT_NOFILE ({fd_cap + FD_HEADROOM})")
            s[key] = sorted({min(n, fd_cap) for n in s[key]})
    for key in ("many", "setup", "saturation_conns"):
        if s[key] > fd_cap:
            capped.append(f"{key}: {s[key]} connections capped to {fd_cap} by RLIMIT_NOFILE ({fd_cap + FD_HEADROOM})")
            s[key] = fd_cap
    for note in capped:
        log(f"note: {note}; the hard limit cannot be raised here")
    scenarios = [x.strip() for x in args.scenarios.split(",") if x.strip()]
    for x in scenarios:
        if x not in SCENARIOS:
            parser.error(f"unknown scenario {x!r}; known: {', '.join(SCENARIOS)}")
    most = max([max(s["fanout"]), s["many"], s["setup"], max(s["idle"]), s["saturation_conns"]])
    tokens = tempfile.NamedTemporaryFile(prefix="herald-bench-tokens-", suffix=".txt", delete=False)
    tokens.close()
    subprocess.run([sys.executable, TOKENS_PY, "--secret", JWT_SECRET, "--count", str(most), "--out", tokens.name],
                   check=True)
    runner = Runner(args.load, tokens.name, pin, log)
    servers = []
    if args.server in ("herald", "both"):
        servers.append(Herald(args.bin_dir, pin, args.protocol))
    if args.server in ("nchan", "both"):
        servers.append(Nchan(pin))

    started = time.time()
    info = {"machine": machine(), "quick": args.quick, "pinned": pin, "protocol": args.protocol,
            "command": " ".join(sys.argv),
            "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "notes": capped, "rows": []}
    rows = []
    try:
        for scenario in scenarios:
            for server in servers:
                log(f"{scenario} against {server.name}")
                for label, result in run_scenario(scenario, server, runner, s, log):
                    rows.append((label, server.name, result))
                    info["rows"].append({"scenario": label, "server": server.name, "result": result})
    finally:
        os.unlink(tokens.name)
        info["seconds"] = round(time.time() - started, 1)
        info["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(info, f, indent=1)
    m = info["machine"]
    print(f"{m['cpus']} CPUs ({m['cpu_model']}), {m['memory_mib']} MiB, Linux {m['kernel']}; "
          f"load average {' '.join(m['loadavg'])} at start, {' '.join(info['loadavg_end'])} at end; "
          f"server on CPU {SERVER_CPU}, generator on CPU {LOAD_CPU}" if pin else "not pinned")
    for note in capped:
        print(f"note: {note}")
    if args.server != "nchan":
        print(f"Herald clients speak the {args.protocol} protocol (--protocol {args.protocol})")
    print()
    print(table(rows))
    if args.server == "both":
        print()
        print("Herald / Nchan (above 1× means Herald's figure is larger):")
        print()
        print(ratio_table(rows))
    print(f"\nresults: {args.out} ({info['seconds']} s)")


if __name__ == "__main__":
    main()
