"""The idc Jupyter kernel, tested as any kernel is: through jupyter_client.

Run by scripts/test-jupyter.sh, which makes the venv, installs the kernel spec into it
(`idc kernel install --prefix VENV`) and runs `python -m unittest` here. Python is only the
test client; idc itself has none.

- IdcKernelConformance: the peer suite, jupyter_kernel_test.KernelTests.
- InterruptAndHeartbeat: interrupt_request (and SIGINT) during a long k-means; heartbeats.
- Queries: `feedback ask`, `feedback audit` and `rounds by=ask` answered through the stdin channel, journal, restart, resume.
- BadInput: malformed, wrongly signed and unknown messages; a syntax error cell.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from queue import Empty

import jupyter_kernel_test
import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

KERNEL = os.environ.get("IDC_KERNEL_NAME", "idc")
TIMEOUT = 120


class IdcKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL
    language_name = "idc"
    file_extension = ".idc"

    code_hello_world = 'print "hello, world"'
    code_stderr = "set timing=true\nprint \"timed\""
    code_generate_error = "nosuchcommand k=1"
    completion_samples = [
        {"text": "kme", "matches": {"kmeans"}},
        {"text": "select strat", "matches": {"strategy="}},
        {"text": "select strategy=hard", "matches": {"hard", "hard+rep", "hard+rep+div"}},
        {"text": "feedback or", "matches": {"oracle"}},
    ]
    complete_code_samples = ["load digits", "kmeans k=10\nscore", "for s in [random, hard] {\n  print $s\n}"]
    incomplete_code_samples = ["for s in [random, hard] {", "sweep m=[50, 100", "kmeans k=10 \\"]
    invalid_code_samples = ["load digits k=", "kmeans k=10 }", "= 3"]
    code_display_data = [{"code": "load digits\nkmeans k=10\nscore\nplot scores", "mime": "image/png"}]
    code_execute_result = [{"code": "show options", "mime": "text/plain"}, {"code": "print \"x\"\nshow", "mime": "text/plain"}]
    code_history_pattern = "show*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "train"


def start(extra_env=None, log=None):
    """A kernel and a client with channels started; the kernel's stderr goes to `log`."""
    km = KernelManager(kernel_name=KERNEL)
    env = dict(os.environ)
    env.update(extra_env or {})
    km.start_kernel(env=env, stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def query_sheets(outputs):
    """The PNG pictures among a cell's outputs (one query sheet per question asked)."""
    return [m for m in outputs if m["msg_type"] == "display_data" and "image/png" in m["content"]["data"]]


def run(kc, code, allow_stdin=False, timeout=TIMEOUT, on_input=None):
    """Executes `code`; returns (reply content, iopub messages). `on_input(prompt)` answers stdin."""
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    outputs = []
    reply = None
    deadline = time.time() + timeout
    while time.time() < deadline:
        if on_input is not None:
            try:
                request = kc.get_stdin_msg(timeout=0.05)
                kc.input(on_input(request["content"]["prompt"]))
            except Empty:
                pass
        if reply is None:
            try:
                msg = kc.get_shell_msg(timeout=0.05)
                if msg["parent_header"].get("msg_id") == msg_id:
                    reply = msg["content"]
            except Empty:
                pass
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            if reply is None:
                reply = kc.get_shell_msg(timeout=10)["content"]
            return reply, outputs
        outputs.append(msg)
    raise AssertionError(f"no idle status within {timeout} s for: {code!r}")


def text(outputs, name="stdout"):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def results(outputs):
    return "".join(m["content"]["data"].get("text/plain", "") for m in outputs if m["msg_type"] in ("execute_result", "display_data"))


class InterruptAndHeartbeat(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start()

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def ping(self, timeout_ms=1000):
        """One heartbeat round trip on a socket of our own; its time in seconds, or None."""
        info = self.km.get_connection_info()
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.REQ)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
        started = time.time()
        sock.send(b"ping")
        ready = sock.poll(timeout_ms)
        sock.close()
        return time.time() - started if ready else None

    def long_kmeans(self, interrupt):
        reply, _ = run(self.kc, "load digits\nkmeans k=10 seed=0")
        self.assertEqual(reply["status"], "ok")
        msg_id = self.kc.execute("kmeans k=100 n_init=1000")
        time.sleep(1.5)
        beats = [self.ping() for _ in range(3)]
        self.assertTrue(all(b is not None and b < 0.5 for b in beats), f"heartbeats during a long cell: {beats}")
        interrupted = time.time()
        interrupt()
        reply = self.kc.get_shell_msg(timeout=60)
        print(f"\n    heartbeat round trips during the cell: {', '.join(f'{b * 1000:.1f} ms' for b in beats)}; "
              f"interrupt to reply: {(time.time() - interrupted) * 1000:.0f} ms", file=sys.stderr)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertIn("interrupted", reply["content"]["evalue"])
        reply, outputs = run(self.kc, "show")
        self.assertEqual(reply["status"], "ok")
        shown = results(outputs)
        self.assertIn("data: digits, 1797 × 64", shown)
        self.assertIn("pre-trained: kmeans k=10", shown)

    def test_interrupt_request_keeps_the_session(self):
        self.assertEqual(self.km.kernel_spec.interrupt_mode, "message")
        self.long_kmeans(self.km.interrupt_kernel)

    def test_sigint_does_not_kill_the_kernel_or_gnuplot(self):
        reply, outputs = run(self.kc, "load digits\nkmeans k=10 seed=0\nscore\nplot scores")
        self.assertEqual(reply["status"], "ok")
        pid = self.km.provisioner.process.pid
        before = subprocess.run(["pgrep", "-P", str(pid), "gnuplot"], capture_output=True, text=True).stdout.split()
        self.assertEqual(len(before), 1, "one gnuplot child after a plot")
        # Signal mode, as jupyter_client sends it: SIGINT to the kernel's whole process group.
        self.long_kmeans(lambda: os.killpg(os.getpgid(pid), signal.SIGINT))
        after = subprocess.run(["pgrep", "-P", str(pid), "gnuplot"], capture_output=True, text=True).stdout.split()
        self.assertEqual(before, after, "the same gnuplot process survives the SIGINT")
        reply, outputs = run(self.kc, "score\nplot scores")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertTrue(any("image/png" in m["content"].get("data", {}) for m in outputs))


class Lifecycle(unittest.TestCase):
    """A clean shutdown closes gnuplot and ends the session script; a killed kernel is recovered."""

    def test_shutdown_is_clean_and_closes_gnuplot(self):
        sessions = tempfile.mkdtemp(prefix="idc-kernel-sessions-")
        km, kc = start({"IDC_SESSION_DIR": sessions})
        reply, _ = run(kc, "load digits\nkmeans k=10 seed=0\nscore\nplot scores")
        self.assertEqual(reply["status"], "ok")
        process = km.provisioner.process
        gnuplot = subprocess.run(["pgrep", "-P", str(process.pid), "gnuplot"], capture_output=True, text=True).stdout.split()
        self.assertEqual(len(gnuplot), 1)
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # shutdown_request on control, then wait
        self.assertEqual(process.wait(timeout=10), 0, "the kernel exits by itself, with status 0")
        with self.assertRaises(ProcessLookupError):
            os.kill(int(gnuplot[0]), 0)
        scripts = [os.path.join(sessions, f) for f in os.listdir(sessions) if f.endswith(".idc")]
        self.assertEqual(len(scripts), 1)
        with open(scripts[0]) as f:
            self.assertIn("# session ended", f.read())

    def test_a_killed_kernel_is_recovered(self):
        sessions = tempfile.mkdtemp(prefix="idc-kernel-sessions-")
        km, kc = start({"IDC_SESSION_DIR": sessions})
        reply, _ = run(kc, "load digits\nkmeans k=10 seed=0\nsel = select m=20")
        self.assertEqual(reply["status"], "ok")
        kc.stop_channels()
        process = km.provisioner.process
        os.kill(process.pid, signal.SIGKILL)
        self.assertEqual(process.wait(timeout=10), -signal.SIGKILL)  # reaped, as a Jupyter server reaps its kernels
        km.cleanup_resources()
        km, kc = start({"IDC_SESSION_DIR": sessions})
        try:
            kc.kernel_info()
            banner = kc.get_shell_msg(timeout=10)["content"]["banner"]
            self.assertIn("ended without quitting: run 'recover' to replay its 3 statements", banner)
            self.assertIn("BLAS: OpenBLAS", banner)  # the core start-up chose, as `show blas` reports it
            reply, outputs = run(kc, "recover\nshow")
            self.assertEqual(reply["status"], "ok", reply)
            shown = results(outputs)
            self.assertIn("pre-trained: kmeans k=10", shown)
            self.assertIn("sel: 20 samples chosen by hard+rep+div", shown)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class Queries(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="idc-kernel-queries-")
        self.km, self.kc = start()

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def prepare(self):
        reply, _ = run(self.kc, f'set outdir="{self.dir}"\nload digits\nkmeans k=10 seed=0\nselect m=5 seed=0')
        self.assertEqual(reply["status"], "ok")

    def answered(self, code, typed):
        """Runs `code`, answering its stdin prompts with `typed` in order: (reply, outputs, prompts)."""
        typed, prompts = iter(typed), []

        def answer(prompt):
            prompts.append(prompt)
            return next(typed)

        reply, outputs = run(self.kc, code, allow_stdin=True, on_input=answer)
        self.assertEqual(reply["status"], "ok", reply)
        return reply, outputs, prompts

    def test_ask_through_stdin_then_resume_after_restart(self):
        self.prepare()
        reply, outputs, prompts = self.answered("feedback ask t=5", ["1", "0", "u", "1", "q"])
        self.assertEqual(len(prompts), 5)
        self.assertTrue(all(p.startswith("answer [1-5, 0=none, new [name], c N, s=skip, u=undo, q=stop]") for p in prompts))
        # Each query is shown as one picture: the sample and its candidate clusters.
        # Queries 1, 2, 3 (answered 'u'), 2 again and 3 (answered 'q'): one sheet per question.
        self.assertEqual(len(query_sheets(outputs)), 5)
        self.assertIn("2 answers (ask): 2 positive", text(outputs))
        with open(os.path.join(self.dir, "answers.journal.csv")) as f:
            journal = f.read().splitlines()
        self.assertEqual([l for l in journal if l.startswith("#")], ["# undo"])
        self.assertEqual(len([l for l in journal if l and l[0].isdigit()]), 3, journal)

        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=60)
        self.prepare()
        reply, outputs = run(self.kc, "feedback ask t=5", allow_stdin=True, on_input=lambda p: "q")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertIn("resuming: 2 of 5 already answered", text(outputs))

    def test_audit_through_stdin_estimates_and_eval_shows_it(self):
        self.prepare()
        reply, outputs, _ = self.answered("feedback audit n=4", ["1", "1", "0", "s"])
        self.assertEqual(len(query_sheets(outputs)), 4, "one query sheet per audited sample")
        self.assertIn("4 audit answers (4 in this session), held out of training", text(outputs))
        # Answers 1 (the own cluster, shown first), 1, none, skip: 2 of 3 deciding answers confirm.
        self.assertIn("confirmed 66.7 % (95 % CI", text(outputs))
        reply, outputs = run(self.kc, "eval")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertIn("audit: confirmed 66.7 %", results(outputs))

    def test_rounds_by_ask_through_stdin(self):
        self.prepare()
        typed = ["1", "2", "0", "1", "s", "1", "1", "3", "0", "2"]
        reply, outputs, prompts = self.answered("m = rounds m=10 r=2 epochs=10 by=ask", typed)
        self.assertEqual(len(prompts), 10)
        self.assertEqual(len(query_sheets(outputs)), 10, "one query sheet per sample, both rounds")
        self.assertIn("round 1 of 2: 5 answered", text(outputs))
        self.assertIn("round 2 of 2: 5 answered", text(outputs))
        with open(os.path.join(self.dir, "rounds.journal.csv")) as f:
            self.assertEqual(len([l for l in f.read().splitlines() if l and l[0].isdigit()]), 10)

    def test_new_cluster_merge_and_names_survive_a_restart_through_recover(self):
        # The person answers "new" in the notebook's input box, merges two clusters and names
        # one; the kernel restarts (its process ends without quitting) and 'recover' rebuilds
        # the partition, the names and the answers.
        sessions = tempfile.mkdtemp(prefix="idc-kernel-partition-")
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.km, self.kc = start({"IDC_SESSION_DIR": sessions})
        reply, _ = run(self.kc, f'set outdir="{self.dir}"\nload digits\nkmeans k=8 seed=0\nselect m=3 seed=0')
        self.assertEqual(reply["status"], "ok", reply)
        reply, outputs, prompts = self.answered("feedback ask", ["new sevens", "c 8", "1"])
        self.assertEqual(len(prompts), 3)
        self.assertIn('new cluster 8 "sevens" from samples', text(outputs))
        reply, outputs = run(self.kc, 'merge 0 1\nname 0 "zeros and ones"\nshow clusters')
        self.assertEqual(reply["status"], "ok", reply)
        before = results(outputs) + text(outputs)
        self.assertIn("renumbered: 2 → 1, 3 → 2, 4 → 3, 5 → 4, 6 → 5, 7 → 6, 8 → 7", before)
        process = self.km.provisioner.process
        self.kc.stop_channels()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        self.km.cleanup_resources()
        self.km, self.kc = start({"IDC_SESSION_DIR": sessions})
        reply, outputs = run(self.kc, "recover\nshow clusters")
        self.assertEqual(reply["status"], "ok", reply)
        shown = results(outputs) + text(outputs)
        rows = [l.split() for l in shown.splitlines() if l[:1].isdigit()]
        sevens = [r for r in rows if r[:2] == ["7", "sevens"]]
        self.assertEqual(len(sevens), 1, shown)
        self.assertEqual(sevens[0][4], "2", "the two answers for the new cluster survive")
        self.assertTrue(any(r[:4] == ["0", "zeros", "and", "ones"] for r in rows), shown)
        self.assertFalse(any(r[0] == "8" for r in rows), "8 clusters after the merge")

    def test_the_whole_loop_without_labels(self):
        # Features and images without labels: audit, ask, train, rounds and the quality plot,
        # every answer typed into the notebook's input boxes; no ACC anywhere.
        reply, _ = run(self.kc, f'set outdir="{self.dir}"\nload digits\n'
                                f'export features to="{self.dir}/f.npy"\nexport images to="{self.dir}/i.npy"')
        self.assertEqual(reply["status"], "ok", reply)
        reply, outputs = run(self.kc, f'load features="{self.dir}/f.npy" images="{self.dir}/i.npy"\nkmeans k=10 seed=0')
        self.assertEqual(reply["status"], "ok", reply)
        seen = text(outputs)
        _, outputs, _ = self.answered("au = feedback audit n=4", ["1", "1", "0", "1"])
        seen += text(outputs) + results(outputs)
        self.assertIn("confirmed 75.0 %", text(outputs))
        _, outputs, _ = self.answered("s1 = select m=3\nfeedback ask", ["1", "2", "0"])
        seen += text(outputs) + results(outputs)
        reply, outputs = run(self.kc, "m1 = train epochs=20 every=0")
        self.assertEqual(reply["status"], "ok", reply)
        seen += text(outputs) + results(outputs)
        self.assertIn("audit:", text(outputs))
        _, outputs, prompts = self.answered("m = rounds m=6 r=2 epochs=20 by=ask", ["1", "1", "0", "2", "1", "s"])
        self.assertEqual(len(prompts), 6)
        self.assertEqual(len(query_sheets(outputs)), 6)
        seen += text(outputs) + results(outputs)
        self.assertIn("round 2 of 2: 3 answered", text(outputs))
        reply, outputs = run(self.kc, f'plot quality\nexport answer_log to="{self.dir}/log.npz"\neval')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(len(query_sheets(outputs)), 1, "the quality plot, inline")
        seen += text(outputs) + results(outputs)
        self.assertIn("audit: confirmed", seen)
        self.assertNotIn("ACC", seen)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "log.npz")))

    def test_ask_without_stdin_says_what_to_use(self):
        self.prepare()
        reply, outputs = run(self.kc, "feedback ask", allow_stdin=False)
        self.assertEqual(reply["status"], "error")
        self.assertIn("does not allow input", reply["evalue"])
        self.assertIn("feedback oracle", "\n".join(reply["traceback"]))


class BadInput(unittest.TestCase):
    def setUp(self):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="idc-kernel-log-", delete=False)
        self.km, self.kc = start(log=self.log)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()
        os.unlink(self.log.name)

    def alive(self):
        reply, outputs = run(self.kc, 'print "still here"')
        self.assertEqual(reply["status"], "ok")
        self.assertIn("still here", text(outputs))

    def test_malformed_wrongly_signed_and_unknown_messages_are_refused(self):
        info = self.km.get_connection_info()
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        # 1. Not a Jupyter message at all.
        sock.send_multipart([b"hello", b"world"])
        # 2. Jupyter-shaped, signed with the wrong key.
        wrong = Session(key=b"not-the-key")
        wrong.send(sock, "execute_request", {"code": 'print "pwned"', "silent": False})
        # 3. Correctly signed, but a type no kernel knows.
        right = Session(key=info["key"])
        right.send(sock, "no_such_request", {})
        # 4. Correctly signed, content not JSON.
        frames = [b"<IDS|MSG>"]
        header = {"msg_id": "m4", "session": "s", "username": "test", "date": "2026-01-01T00:00:00Z",
                  "msg_type": "execute_request", "version": "5.3"}
        parts = [json.dumps(header).encode(), b"{}", b"{}", b"{not json"]
        frames += [right.sign(parts)] + parts
        sock.send_multipart(frames)
        time.sleep(1)
        self.alive()
        sock.close()
        self.log.flush()
        with open(self.log.name) as f:
            log = f.read()
        self.assertIn("refused a message", log)
        self.assertIn("no <IDS|MSG> delimiter", log)
        self.assertIn("the signature does not match", log)
        self.assertIn("unknown message type 'no_such_request'", log)
        self.assertIn("the content is not a JSON object", log)
        self.assertNotIn("pwned", log)

    def test_syntax_error_cell_gives_a_located_error(self):
        reply, outputs = run(self.kc, 'load digits\nkmeans k=10 n_init=[1, 2')
        errors = [m for m in outputs if m["msg_type"] == "error"]
        self.assertEqual(reply["status"], "error")
        self.assertEqual(len(errors), 1)
        self.assertEqual(errors[0]["content"]["ename"], "SyntaxError")
        traceback = "\n".join(errors[0]["content"]["traceback"])
        self.assertRegex(traceback, r"cell\[\d+\]:2:\d+")
        self.assertIn("^", traceback)
        reply, outputs = run(self.kc, 'load digits\nkmeans k=100000')
        self.assertEqual(reply["status"], "error")
        self.assertRegex("\n".join(reply["traceback"]), r"cell\[\d+\]:2:10")
        self.alive()


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Notebooks(unittest.TestCase):
    """Headless execution with nbclient, as `jupyter execute` does; every example checked."""

    def test_every_example_notebook_passes_idc_check(self):
        import glob
        import nbformat

        with open(os.path.join(os.environ["JUPYTER_PATH"], "kernels", KERNEL, "kernel.json")) as f:
            idc = json.load(f)["argv"][0]
        paths = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ipynb")))
        self.assertGreaterEqual(len(paths), 2)
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            self.assertEqual(nb.metadata.kernelspec.language, "idc")
            script = "\n".join(f"# %% cell {i}\n{c.source}" for i, c in enumerate(nb.cells) if c.cell_type == "code")
            with tempfile.NamedTemporaryFile("w", suffix=".idc", delete=False) as f:
                f.write(script + "\n")
            checked = subprocess.run([idc, "check", f.name], capture_output=True, text=True)
            os.unlink(f.name)
            self.assertEqual(checked.returncode, 0, f"{path}: {checked.stderr}")

    def test_tour_notebook_runs_headless_and_has_pictures(self):
        import shutil
        import nbformat

        workdir = tempfile.mkdtemp(prefix="idc-tour-")
        shutil.copy(os.path.join(ROOT, "examples", "tour.ipynb"), workdir)
        jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
        ran = subprocess.run([jupyter, "execute", "tour.ipynb", f"--kernel_name={KERNEL}", "--timeout=600", "--output=executed"],
                             cwd=workdir, capture_output=True, text=True)
        self.assertEqual(ran.returncode, 0, ran.stderr[-3000:])
        nb = nbformat.read(os.path.join(workdir, "executed.ipynb"), as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        self.assertFalse([o for o in outputs if o.output_type == "error"])
        pngs = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.get("data", {})]
        self.assertGreaterEqual(len(pngs), 3, "the score histograms, the Fig. 3 map, a query and the training curve")
        self.assertTrue(any("ACC" in o.get("text", "") or "ACC" in o.get("data", {}).get("text/plain", "") for o in outputs))
        out = os.environ.get("IDC_EXECUTED_TOUR")
        if out:
            shutil.copy(os.path.join(workdir, "executed.ipynb"), out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
