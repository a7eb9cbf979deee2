#!/usr/bin/env python3
"""Counts the instructions the server spends per request (valgrind's callgrind), which, unlike
seconds, do not change with what else the machine is doing: the way to compare two builds.

    python3 benches/instructions/count.py target/release/wangge [another/wangge ...]

For each binary: a fresh small demo database, the server under callgrind, then, each counted
alone, 2,000 `GET /api/v1/health`, 2,000 single check-ins from one client (one after another)
3 batches of 1,000 check-ins dated yesterday (mostly replacing the demo's), up to 2 batches of
1,000 first check-ins of the day, 2,000 passages at
one checkpoint and 500 reads of a county's roll-up. Check-ins are also shown without the statements the SQLite
writer prepares at the start of each turn (a turn takes whatever is waiting; with one client
the number of turns depends on timing, so that part varies from run to run).
Needs valgrind (callgrind_control, callgrind_annotate) and python3 only."""
import datetime, http.client, json, os, random, re, sqlite3, subprocess, sys, tempfile, time, uuid

SINGLES, BATCHES, FIRSTS, PASSAGES, ROLLUPS, PASSWORD = 2000, 3, 2, 2000, 500, "instructions-password-1"


def run(binary):
    work = tempfile.mkdtemp(prefix="wangge-instructions-")
    env = dict(os.environ, WANGGE_DATABASE_URL=f"sqlite:{work}/count.db")
    subprocess.run([binary, "demo", "--scale", "small"], env=env, check=True, capture_output=True)
    subprocess.run([binary, "user", "add", "counter", "--role", "hq", "--unit", "1505", "--password-stdin"],
                   env=env, input=PASSWORD.encode(), check=True, capture_output=True)
    port = random.randint(20000, 40000)
    out = f"{work}/callgrind.out"
    server = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "serve",
                               "--addr", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = Client(port)
        client.call("POST", "/api/v1/login", {"login": "counter", "password": PASSWORD})
        db = sqlite3.connect(f"{work}/count.db")
        ids = [str(uuid.UUID(bytes=r[0])) if isinstance(r[0], bytes) else r[0]
               for r in db.execute("SELECT id FROM residents ORDER BY unit_path, id LIMIT ?", (max(SINGLES + 100, BATCHES * 1000),))]
        assert len(ids) >= max(SINGLES + 100, BATCHES * 1000), "the small demo has too few residents"
        # Warm up: caches, pools and the writer's first turns.
        for i in range(100):
            client.call("GET", "/api/v1/health")
            client.call("POST", "/api/v1/checkins", {"resident_id": ids[SINGLES + i]})
        control(server, "--zero")
        for _ in range(SINGLES):
            client.call("GET", "/api/v1/health")
        control(server, "--dump=health")
        for resident in ids[:SINGLES]:
            client.call("POST", "/api/v1/checkins", {"resident_id": resident})
        control(server, "--dump=singles")
        yesterday = str(datetime.date.today() - datetime.timedelta(days=1))
        for b in range(BATCHES):
            rows = [{"resident_id": r, "date": yesterday, "status": "well", "location": "home"} for r in ids[b * 1000:(b + 1) * 1000]]
            client.call("POST", "/api/v1/checkins", rows)
        control(server, "--dump=batches")
        # First reports of the day (most of a grid member's list): residents with no check-in
        # yet on the server's day (Beijing time), in batches of 1,000.
        today = str((datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date())
        firsts = [str(uuid.UUID(bytes=r[0])) if isinstance(r[0], bytes) else r[0] for r in db.execute(
            "SELECT id FROM residents WHERE id NOT IN (SELECT resident_id FROM checkins WHERE day = ?) ORDER BY id LIMIT ?",
            (today, FIRSTS * 1000))]
        # (The demo reports up to 90 % of the day by its noon: after it, fewer are left.)
        assert len(firsts) >= 200, "the small demo has too few residents not yet reported today"
        for b in range(0, len(firsts), 1000):
            rows = [{"resident_id": r, "date": today, "status": "well", "location": "home"} for r in firsts[b:b + 1000]]
            client.call("POST", "/api/v1/checkins", rows)
        control(server, "--dump=firsts")
        checkpoint = client.call("POST", "/api/v1/checkpoints", {"unit_code": "150502", "name": "计数卡点", "kind": "checkpoint"})["id"]
        for n in range(50):
            client.call("POST", f"/api/v1/checkpoints/{checkpoint}/passages", passage(PASSAGES + n))
        control(server, "--zero")
        for n in range(PASSAGES):
            client.call("POST", f"/api/v1/checkpoints/{checkpoint}/passages", passage(n))
        control(server, "--dump=passages")
        for _ in range(ROLLUPS):
            client.call("GET", "/api/v1/units/150502")
        control(server, "--dump=rollups")
    finally:
        server.terminate()
        server.wait()
    firsts = len(firsts)
    dumps = {part: f"{out}.{n}" for n, part in enumerate(["health", "singles", "batches", "firsts", "passages", "rollups"], start=1)}
    singles = total(dumps["singles"])
    prepared, turns = preparing(dumps["singles"])
    return {
        "health / request": total(dumps["health"]) // SINGLES,
        "single check-in": singles // SINGLES,
        "single check-in, turns' statements aside": (singles - prepared) // SINGLES,
        "writer's turns": turns,
        "statements prepared / turn": prepared // max(turns, 1),
        "batch check-ins dated yesterday / row": total(dumps["batches"]) // (BATCHES * 1000),
        "batch of first check-ins today / row": total(dumps["firsts"]) // firsts,
        "passage (one client)": total(dumps["passages"]) // PASSAGES,
        "county roll-up GET /api/v1/units/150502": total(dumps["rollups"]) // ROLLUPS,
    }


def passage(n):
    """A passage of a made-up traveller with a valid ID number (its check digit computed)."""
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 15000)
    first = f"150502{born:%Y%m%d}{n % 998 + 1:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])) % 11]
    return {"id_number": first + check, "name": "过客", "plate": f"蒙G{n % 100000:05d}",
            "direction": "in" if n % 2 == 0 else "out", "temperature": 36.5, "outcome": "passed"}


class Client:
    def __init__(self, port):
        self.port, self.cookie = port, None
        for _ in range(600):
            try:
                self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                self.connection.request("GET", "/api/v1/health")
                self.connection.getresponse().read()
                return
            except OSError:
                time.sleep(0.5)
        raise SystemExit("the server did not start")

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status >= 300:
            raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
        if response.getheader("Set-Cookie"):
            self.cookie = response.getheader("Set-Cookie").split(";")[0]
        return json.loads(data) if data and response.getheader("Content-Type", "").startswith("application/json") else None


def control(server, what):
    subprocess.run(["callgrind_control", what, str(server.pid)], check=True, capture_output=True)


def total(dump):
    with open(dump) as f:
        return next(int(line.split()[1]) for line in f if line.startswith(("summary:", "totals:")))


def preparing(dump):
    """Instructions under sqlite3_prepare, and the writer's turns (each asks the journal mode once)."""
    tree = subprocess.run(["callgrind_annotate", "--tree=caller", "--inclusive=yes", "--threshold=100", dump],
                          check=True, capture_output=True, text=True).stdout
    prepared = re.search(r"^\s*([\d,]+) \([^)]*\)\s+\*\s+\S*:sqlite3LockAndPrepare", tree, re.M)
    turns = re.search(r"<\s+\S*sqlite_raw::Connection::wal_path \(([\d,]+)x\)", tree)
    number = lambda m: int(m.group(1).replace(",", "")) if m else 0
    return number(prepared), number(turns)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    results = [(binary, run(binary)) for binary in sys.argv[1:]]
    for what in results[0][1]:
        print(f"{what:45}" + "".join(f"{r[what]:>14,}" for _, r in results))
