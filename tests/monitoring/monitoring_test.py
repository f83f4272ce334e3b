#!/usr/bin/env python3
"""The shipped monitoring files, against real Prometheus and Alertmanager.

  monitoring_test.py TORCHLAB_CLI MONITORING_DIR

1. promtool checks prometheus.yml and torchlab-alerts.yml and runs the rules'
   unit tests (torchlab-alerts.test.yml); a copy of the rules with the GPU
   memory threshold moved must fail them. amtool checks alertmanager.yml and
   routes a critical alert to the urgent receiver.
2. On 127.0.0.1 and free ports: a webhook receiver (this script), Alertmanager
   with the shipped route pointed at it, torchlab-cli running a program whose
   loss becomes NaN with --prometheus 127.0.0.1:0, and Prometheus with the
   shipped rules scraping it. The test passes when TorchLabLossNotFinite
   arrives at the webhook, firing, with the run's lesson label, and the lab's
   advice about the NaN loss is on the CLI's stderr.

Needs promtool, amtool, prometheus and prometheus-alertmanager (Debian's
prometheus and prometheus-alertmanager). Without them: exit 77 (skipped),
unless TORCHLAB_REQUIRE_DEPS=1: then 1.
"""
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

TOOLS = {
    "promtool": "promtool",
    "amtool": "amtool",
    "prometheus": "prometheus",
    "alertmanager": "prometheus-alertmanager",
}


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, expect_ok=True):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print("$ " + " ".join(cmd) + "\n" + p.stdout, flush=True)
    if expect_ok and p.returncode != 0:
        fail("%s exited with %d" % (cmd[0], p.returncode))
    return p


def wait_http(url, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return r.read().decode()
        except OSError:
            pass
        time.sleep(0.25)
    fail("%s did not answer at %s within %d s" % (what, url, timeout))


class Webhook(http.server.BaseHTTPRequestHandler):
    received = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with Webhook.lock:
            Webhook.received.append((self.path, json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    cli, shipped = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    missing = [pkg for tool, pkg in TOOLS.items() if not shutil.which(tool if tool != "alertmanager" else pkg)]
    if missing:
        print("missing: " + ", ".join(sorted(set(missing))) + " (Debian packages prometheus, prometheus-alertmanager)")
        return 1 if os.environ.get("TORCHLAB_REQUIRE_DEPS") == "1" else 77

    work = tempfile.mkdtemp(prefix="monitoring-test.")
    procs = []
    try:
        # 1. The files as shipped.
        run(["promtool", "check", "config", os.path.join(shipped, "prometheus.yml")])
        run(["promtool", "check", "rules", os.path.join(shipped, "torchlab-alerts.yml")])
        run(["promtool", "test", "rules", os.path.join(shipped, "torchlab-alerts.test.yml")])
        run(["amtool", "check-config", os.path.join(shipped, "alertmanager.yml")])
        routed = run(["amtool", "config", "routes", "test", "--config.file=" + os.path.join(shipped, "alertmanager.yml"),
                      "job=torchlab", "severity=critical", "alertname=TorchLabGpuXid"])
        receivers = routed.stdout.strip().splitlines()[-1:]
        if receivers != ["course-team-urgent"]:
            fail("a critical TorchLab alert should reach course-team-urgent, not %r" % receivers)
        # The rules' unit tests can fail: move the memory threshold and they must.
        mutated = os.path.join(work, "mutated")
        os.mkdir(mutated)
        rules = open(os.path.join(shipped, "torchlab-alerts.yml")).read()
        if "> 0.9\n" not in rules:
            fail("the GPU memory rule no longer compares with 0.9")
        open(os.path.join(mutated, "torchlab-alerts.yml"), "w").write(rules.replace("> 0.9\n", "> 0.96\n", 1))
        shutil.copy(os.path.join(shipped, "torchlab-alerts.test.yml"), mutated)
        if run(["promtool", "test", "rules", os.path.join(mutated, "torchlab-alerts.test.yml")],
               expect_ok=False).returncode == 0:
            fail("the rules' unit tests pass with a 96% memory threshold: they test nothing")

        # 2. A webhook, Alertmanager, a run with a NaN loss, Prometheus.
        hook_port = free_port()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", hook_port), Webhook)
        threading.Thread(target=server.serve_forever, daemon=True).start()

        am_port = free_port()
        am_config = open(os.path.join(shipped, "alertmanager.yml")).read()
        am_config = am_config.replace("127.0.0.1:9095", "127.0.0.1:%d" % hook_port)
        am_config = am_config.replace("group_wait: 10s", "group_wait: 1s")
        open(os.path.join(work, "alertmanager.yml"), "w").write(am_config)
        procs.append(subprocess.Popen(
            ["prometheus-alertmanager", "--config.file=" + os.path.join(work, "alertmanager.yml"),
             "--storage.path=" + os.path.join(work, "am-data"),
             "--web.listen-address=127.0.0.1:%d" % am_port,
             "--cluster.listen-address="],  # no gossip port
            stdout=open(os.path.join(work, "alertmanager.log"), "w"), stderr=subprocess.STDOUT))

        run_dir = os.path.join(work, "run")
        os.mkdir(run_dir)
        shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "nan_loss.cpp"), run_dir)
        cli_err = open(os.path.join(work, "cli.err"), "w")
        cli_proc = subprocess.Popen([cli, "run", "nan_loss.cpp", "--prometheus", "127.0.0.1:0"],
                                    cwd=run_dir, stdout=subprocess.DEVNULL, stderr=cli_err)
        procs.append(cli_proc)
        exporter = None
        deadline = time.time() + 30
        while time.time() < deadline and not exporter:
            m = re.search(r"Metrics for Prometheus at (http://127\.0\.0\.1:(\d+)/metrics)",
                          open(os.path.join(work, "cli.err")).read())
            exporter = m and (m.group(1), int(m.group(2)))
            time.sleep(0.2)
        if not exporter:
            fail("torchlab-cli did not say where it serves metrics:\n" + open(os.path.join(work, "cli.err")).read())
        print("exporter at " + exporter[0], flush=True)

        prom_port = free_port()
        prom = open(os.path.join(shipped, "prometheus.yml")).read()
        prom = prom.replace("scrape_interval: 15s", "scrape_interval: 1s")
        prom = prom.replace("evaluation_interval: 15s", "evaluation_interval: 1s")
        prom = prom.replace("scrape_interval: 5s", "scrape_interval: 1s")
        prom = prom.replace('"127.0.0.1:9093"', '"127.0.0.1:%d"' % am_port)
        prom = prom.replace('"127.0.0.1:9477"', '"127.0.0.1:%d"' % exporter[1])
        prom = prom.replace("- torchlab-alerts.yml", "- " + os.path.join(shipped, "torchlab-alerts.yml"))
        prom = re.sub(r"\n    file_sd_configs:\n.*\n", "\n", prom)
        open(os.path.join(work, "prometheus.yml"), "w").write(prom)
        procs.append(subprocess.Popen(
            ["prometheus", "--config.file=" + os.path.join(work, "prometheus.yml"),
             "--storage.tsdb.path=" + os.path.join(work, "prom-data"),
             "--web.listen-address=127.0.0.1:%d" % prom_port],
            stdout=open(os.path.join(work, "prometheus.log"), "w"), stderr=subprocess.STDOUT))
        wait_http("http://127.0.0.1:%d/-/ready" % prom_port, 60, "Prometheus")
        wait_http("http://127.0.0.1:%d/-/ready" % am_port, 60, "Alertmanager")

        # Compiling the program may take a while on a busy machine.
        deadline = time.time() + 240
        alert = None
        while time.time() < deadline and not alert:
            with Webhook.lock:
                for path, payload in Webhook.received:
                    for a in payload.get("alerts", []):
                        if a["labels"].get("alertname") == "TorchLabLossNotFinite" and a["status"] == "firing":
                            alert = (path, a)
            if cli_proc.poll() is not None:
                fail("torchlab-cli ended before the alert arrived:\n" + open(os.path.join(work, "cli.err")).read())
            time.sleep(0.5)
        if not alert:
            q = urllib.parse.urlencode({"query": "torchlab_program_metric_nonfinite"})
            seen = wait_http("http://127.0.0.1:%d/api/v1/query?%s" % (prom_port, q), 5, "Prometheus")
            fail("no TorchLabLossNotFinite alert reached the webhook; Prometheus has: " + seen)
        path, a = alert
        print("webhook %s got: %s" % (path, json.dumps(a["labels"], sort_keys=True)), flush=True)
        if a["labels"].get("lesson") != "nan_loss" or a["labels"].get("metric") != "loss":
            fail("the alert should name the run (lesson=nan_loss, metric=loss): %r" % a["labels"])
        if a["labels"].get("job") != "torchlab":
            fail("the alert should come from the torchlab job: %r" % a["labels"])
        if "urgent" in path:
            fail("a warning went to the urgent receiver")
        # Prometheus scraped the real exporter: the step goes up.
        q = urllib.parse.urlencode({"query": 'torchlab_program_step{lesson="nan_loss"}'})
        body = json.loads(wait_http("http://127.0.0.1:%d/api/v1/query?%s" % (prom_port, q), 5, "Prometheus"))
        steps = [float(r["value"][1]) for r in body["data"]["result"]]
        if not steps or steps[0] < 5:
            fail("Prometheus should see the run's step at 5 or more: %r" % body)
        err = open(os.path.join(work, "cli.err")).read()
        if "[advice] The loss became NaN at step 5" not in err:
            fail("the lab's advice about the NaN loss is missing from the CLI's output:\n" + err)
        print("PASS: TorchLabLossNotFinite fired into the webhook; step %d scraped" % steps[0])
        return 0
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                # torchlab-cli stops its run on SIGINT as on Ctrl+C; the servers end on SIGTERM.
                p.send_signal(signal.SIGINT if p.args[0] == cli else signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for log in ("alertmanager.log", "prometheus.log"):
            path = os.path.join(work, log)
            if os.path.exists(path) and os.environ.get("MONITORING_TEST_VERBOSE"):
                print(open(path).read())
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
