/**
 * Upload benchmark (`npm run bench:upload`). Streams 1 GiB through our server's
 * exportToDropbox to the Dropbox emulator and the same bytes straight to the emulator's upload
 * session endpoints, in one run, and reports the throughput ratio and the server's peak RSS
 * growth against the issue's targets: RSS growth under 64 MB, throughput at least 0.7 of direct.
 *
 * The emulator and our server each run in a child process, so the server's RSS is its own and
 * the load generator (this process) shares an event loop with neither. RSS comes from
 * /proc/<pid>/status (Linux). Environment: BENCH_BYTES shrinks the run ("64MiB", "200m" or a
 * byte count); BENCH_ROUNDS (default 3) is how many direct/through-server pairs to run, the
 * ratio reported being their median; DROPBOX_UPLOAD_CHUNK_BYTES (default 8 MiB) goes to the
 * server and sizes the direct upload's requests the same way; BENCH_SERVER_FLAGS adds Node flags
 * to the server (e.g. "--cpu-prof"), which otherwise runs with those of `npm start`. Always exits
 * 0 once it has measured: it reports, it does not gate.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../scripts/free-port.js";
import { startNodeFlags } from "../scripts/start-flags.js";
import { dropboxContent } from "../src/dropbox/content-api.js";
import { serverEnvForEmulator } from "../src/emulator/server-env.js";

const MiB = 1024 * 1024;
const MB = 1_000_000;
const TARGET_RSS_GROWTH_BYTES = 64 * MB;
const TARGET_RATIO = 0.7;
const SAMPLE_EVERY_MS = 50;
const CLIENT_ID = "bench-dropbox-key";
const CLIENT_SECRET = "bench-dropbox-secret";

const TOTAL = parseSize(process.env.BENCH_BYTES) ?? 1024 * MiB;
/** Other processes on a small machine make one pair of uploads noisy; the ratio reported is the median. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error("BENCH_ROUNDS must be a positive integer");
const CHUNK = parseSize(process.env.DROPBOX_UPLOAD_CHUNK_BYTES) ?? 8 * MiB;
if (CHUNK % (4 * MiB) !== 0) throw new Error("DROPBOX_UPLOAD_CHUNK_BYTES must be a multiple of 4 MiB");

/** Both uploads send this buffer over and over: random (so nothing can compress it), never 1 GiB in memory. */
const PATTERN = randomBytes(MiB);

function parseSize(raw: string | undefined): number | null {
  if (raw === undefined || raw === "") return null;
  const match = /^(\d+)\s*(k|m|g|kib|mib|gib)?$/i.exec(raw.trim());
  if (!match) throw new Error(`not a size: "${raw}" (e.g. 1073741824, 64MiB, 200m)`);
  const power = { k: 1, m: 2, g: 3 }[(match[2]?.[0]?.toLowerCase() ?? "") as "k" | "m" | "g"] ?? 0;
  const bytes = Number(match[1]) * 1024 ** power;
  if (bytes <= 0) throw new Error(`size must be positive: "${raw}"`);
  return bytes;
}

function* pieces(total: number): Generator<Buffer> {
  for (let sent = 0; sent < total; sent += PATTERN.length) {
    yield PATTERN.subarray(0, Math.min(PATTERN.length, total - sent));
  }
}

// ---- child processes --------------------------------------------------------------------

interface Child {
  pid: number;
  url: string;
  /** Sends a message and waits for the child's answer of the given type. */
  ask(message: string, answer: string): Promise<void>;
  stop(): Promise<void>;
}

/** Forks a bench/*-process.ts under tsx and waits for the URL it reports once listening. */
async function startChild(script: string, env: NodeJS.ProcessEnv, nodeOptions: string[] = []): Promise<Child> {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv: [...nodeOptions, "--import", import.meta.resolve("tsx")],
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await Promise.race([
    once(child, "message").then(([message]) => (message as { url: string }).url),
    exited.then(() => Promise.reject(new Error(`${script} exited before it was ready`))),
  ]);
  return {
    pid: child.pid!,
    url,
    async ask(message, answer) {
      const answered = new Promise<void>((resolve) => {
        const listen = (reply: unknown) => {
          if ((reply as { type?: string }).type !== answer) return;
          child.off("message", listen);
          resolve();
        };
        child.on("message", listen);
      });
      child.send(message);
      await answered;
    },
    async stop() {
      if (child.exitCode === null && child.connected) child.send("stop");
      await exited;
    },
  };
}

// ---- RSS of the server process ----------------------------------------------------------

function procStatus(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) * 1024;
}

/**
 * Samples VmRSS every 50 ms. Linux also keeps the high-water mark (VmHWM); resetting it first
 * (clear_refs 5) catches a peak that falls between two samples.
 */
class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly hwmReset: boolean;

  constructor(private readonly pid: number) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
      this.hwmReset = true;
    } catch {
      this.hwmReset = false;
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, procStatus(this.pid, "VmRSS"));
  }

  stop(): { peak: number; method: string } {
    clearInterval(this.timer);
    this.sample();
    const every = `VmRSS every ${SAMPLE_EVERY_MS} ms`;
    if (!this.hwmReset) return { peak: this.peak, method: `${every} (VmHWM could not be reset)` };
    return { peak: Math.max(this.peak, procStatus(this.pid, "VmHWM")), method: `max of ${every} and VmHWM` };
  }
}

/** CPU seconds a child has used so far (utime + stime in /proc/<pid>/stat, in USER_HZ = 100 ticks/s). */
function childCpuSeconds(pid: number): number {
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface CpuSeconds {
  bench: number;
  emulator: number;
  server: number;
}

/** Runs `work` and reports the CPU time each of the three processes spent meanwhile. */
async function withCpu<T>(pids: { emulator: number; server: number }, work: () => Promise<T>): Promise<[T, CpuSeconds]> {
  const bench = process.cpuUsage();
  const emulator = childCpuSeconds(pids.emulator);
  const server = childCpuSeconds(pids.server);
  const result = await work();
  const used = process.cpuUsage(bench);
  return [
    result,
    {
      bench: (used.user + used.system) / 1e6,
      emulator: childCpuSeconds(pids.emulator) - emulator,
      server: childCpuSeconds(pids.server) - server,
    },
  ];
}

/** Idle RSS: the median of a second of samples, so one transient allocation does not skew it. */
async function idleRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    samples.push(procStatus(pid, "VmRSS"));
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

// ---- user setup through our server and the emulator ----------------------------------------

async function graphql<T>(serverUrl: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(`${serverUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (!res.ok || body.errors || !body.data) throw new Error(`GraphQL failed: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

/** Signs up, connects Dropbox through the emulator's auto-approved consent, returns our session token. */
async function signUpAndConnect(serverUrl: string): Promise<string> {
  const { signUp } = await graphql<{ signUp: { token?: string } }>(
    serverUrl,
    `mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { ... on AuthPayload { token } } }`,
    { e: `bench-${Date.now()}@example.com`, p: "correct horse battery staple" },
  );
  if (!signUp.token) throw new Error("signUp failed");
  const { startDropboxConnect: start } = await graphql<{ startDropboxConnect: { authorizationUrl?: string } }>(
    serverUrl,
    `mutation { startDropboxConnect { ... on ConnectStart { authorizationUrl } } }`,
    {},
    signUp.token,
  );
  if (!start.authorizationUrl) throw new Error("startDropboxConnect failed");
  const consent = await fetch(start.authorizationUrl, { redirect: "manual" });
  const callbackUrl = consent.headers.get("location");
  if (consent.status !== 302 || !callbackUrl) throw new Error(`emulator authorize answered ${consent.status}`);
  const callback = await fetch(callbackUrl, { redirect: "manual", headers: { cookie: `session=${signUp.token}` } });
  if (!callback.headers.get("location")?.includes("dropbox=connected")) {
    throw new Error(`connecting Dropbox failed: ${callback.status} ${callback.headers.get("location")}`);
  }
  return signUp.token;
}

/** The access token the emulator issued to our server for that user (the only live one). */
async function emulatorAccessToken(emulatorUrl: string): Promise<string> {
  const res = await fetch(`${emulatorUrl}/__emulator/dropbox/tokens`);
  const tokens = (await res.json()) as { kind: string; token: string; revoked: boolean }[];
  const live = tokens.filter((t) => t.kind === "access" && !t.revoked);
  if (live.length !== 1) throw new Error(`expected one live access token in the emulator, found ${live.length}`);
  return live[0]!.token;
}

// ---- the two uploads ------------------------------------------------------------------------

interface Measured {
  seconds: number;
  contentHash: string;
}

interface FileMetadata {
  content_hash: string;
}

/**
 * What our server does, minus our server: the same requests (upload when shorter than a chunk,
 * else start with the first chunk, append_v2 per chunk, finish without data), one at a time,
 * sent by the server's own dropboxContent so both uploads use the same HTTP client code.
 */
async function uploadDirect(emulatorUrl: string, token: string): Promise<Measured> {
  const http = { contentUrl: emulatorUrl, fetch, timeoutMs: 10_000 };
  const commit = { path: "/bench/direct.bin", mode: "overwrite", autorename: false, mute: true };
  // One buffer refilled per request: each request completes before the next chunk is built.
  const chunk = Buffer.allocUnsafe(CHUNK);
  const started = performance.now();
  if (TOTAL < CHUNK) {
    let filled = 0;
    for (const piece of pieces(TOTAL)) filled += piece.copy(chunk, filled);
    const metadata = await dropboxContent<FileMetadata>(http, "files/upload", token, commit, chunk.subarray(0, filled));
    return { seconds: (performance.now() - started) / 1000, contentHash: metadata.content_hash };
  }
  let sessionId: string | null = null;
  let offset = 0;
  let filled = 0;
  const send = async () => {
    const body = chunk.subarray(0, filled);
    if (sessionId === null) {
      const session = await dropboxContent<{ session_id: string }>(http, "files/upload_session/start", token, { close: false }, body);
      sessionId = session.session_id;
    } else {
      const cursor = { session_id: sessionId, offset };
      await dropboxContent(http, "files/upload_session/append_v2", token, { cursor, close: false }, body);
    }
    offset += filled;
    filled = 0;
  };
  for (const piece of pieces(TOTAL)) {
    let used = 0;
    while (used < piece.length) {
      const take = Math.min(CHUNK - filled, piece.length - used);
      piece.copy(chunk, filled, used, used + take);
      filled += take;
      used += take;
      if (filled === CHUNK) await send();
    }
  }
  if (filled > 0) await send();
  const cursor = { session_id: sessionId, offset };
  const metadata = await dropboxContent<FileMetadata>(http, "files/upload_session/finish", token, { cursor, commit }, new Uint8Array(0));
  return { seconds: (performance.now() - started) / 1000, contentHash: metadata.content_hash };
}

const EXPORT = `mutation($file: File!) {
  exportToDropbox(file: $file, conflict: OVERWRITE) {
    __typename
    ... on DropboxExport { status bytesSent contentHash }
    ... on UserError { code message }
  }
}`;

/**
 * One GraphQL multipart request with `bytes` as the file part, written piece by piece as the
 * socket drains: the body is never built in memory.
 */
async function uploadThroughServer(serverUrl: string, sessionToken: string, bytes: number): Promise<Measured> {
  const boundary = `----qbi-bench-${randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n` +
      `${JSON.stringify({ query: EXPORT, variables: { file: null } })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ["variables.file"] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="bench.bin"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const started = performance.now();
  const req = request(new URL("/graphql", serverUrl), {
    method: "POST",
    headers: {
      "content-type": `multipart/form-data; boundary=${boundary}`,
      "content-length": String(head.length + bytes + tail.length),
      authorization: `Bearer ${sessionToken}`,
      "x-graphql-yoga-csrf": "1",
    },
  });
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.once("error", reject);
    req.once("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (part: string) => (text += part));
      res.once("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.once("error", reject);
    });
  });
  // A failed request rejects `answered` while we are still writing; surface it there.
  answered.catch(() => undefined);
  const write = async (buffer: Buffer) => {
    if (!req.write(buffer)) await Promise.race([once(req, "drain"), answered]);
  };
  await write(head);
  for (const piece of pieces(bytes)) await write(piece);
  req.end(tail);
  const { status, text } = await answered;
  const seconds = (performance.now() - started) / 1000;
  const result = (JSON.parse(text) as { data?: { exportToDropbox?: Record<string, unknown> } }).data?.exportToDropbox;
  if (status !== 200 || result?.status !== "COMPLETED" || result.bytesSent !== bytes) {
    throw new Error(`export through the server failed: ${status} ${text}`);
  }
  return { seconds, contentHash: String(result.contentHash) };
}

// ---- run and report ---------------------------------------------------------------------

function mibPerSecond(bytes: number, seconds: number): number {
  return bytes / MiB / seconds;
}

const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), "qbi-bench-"));
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const children: Child[] = [];
  try {
    const emulator = await startChild("./emulator-process.ts", {
      ...process.env,
      EMULATOR_PORT: "0",
      EMULATOR_AUTO_APPROVE: "true",
      DROPBOX_APP_KEY: CLIENT_ID,
      DROPBOX_APP_SECRET: CLIENT_SECRET,
      DROPBOX_REDIRECT_URI: `${publicUrl}/users/dropbox/callback`,
    });
    children.push(emulator);
    const serverEnv = {
      ...process.env,
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      DATA_DIR: dataDir,
      DATABASE_URL: "", // the embedded database, whatever the caller's environment says
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"), // else the server warns that it generated one
      LOG_LEVEL: "warn",
      DROPBOX_APP_KEY: CLIENT_ID,
      DROPBOX_APP_SECRET: CLIENT_SECRET,
      ...serverEnvForEmulator(emulator.url),
      DROPBOX_UPLOAD_CHUNK_BYTES: String(CHUNK),
      // A fixed threshold (glibc otherwise raises it after the first large free): buffers of
      // 128 KiB and more get their own mappings, returned on free, so RSS follows the live
      // buffers instead of crediting the upload with memory freed earlier and still counted.
      MALLOC_MMAP_THRESHOLD_: String(128 * 1024),
    };
    const serverFlags = ["--expose-gc", ...startNodeFlags(), ...(process.env.BENCH_SERVER_FLAGS?.split(" ").filter(Boolean) ?? [])];
    const server = await startChild("./server-process.ts", serverEnv, serverFlags);
    children.push(server);

    const sessionToken = await signUpAndConnect(server.url);
    const accessToken = await emulatorAccessToken(emulator.url);
    const pids = { emulator: emulator.pid, server: server.pid };
    console.log(
      `${ROUNDS} round(s) of ${(TOTAL / MiB).toFixed(1)} MiB direct, then through our server, in ${CHUNK / MiB} MiB chunks ` +
        `(server pid ${server.pid}, emulator pid ${emulator.pid}; ${availableParallelism()} CPUs, load ${loadavg()[0]!.toFixed(1)})`,
    );

    // Measured on the server as it is before its first upload, so what an export costs includes
    // the buffers it allocates and the code it loads on first use; but after a full collection
    // (see server-process.ts), so start-up garbage freed during the upload cannot offset that.
    await server.ask("gc", "gc-done");
    const baseline = await idleRss(server.pid);
    const sampler = new RssSampler(server.pid);
    const rounds: { direct: Measured; directCpu: CpuSeconds; viaServer: Measured; viaServerCpu: CpuSeconds }[] = [];
    let rss: { peak: number; method: string };
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const [direct, directCpu] = await withCpu(pids, () => uploadDirect(emulator.url, accessToken));
        const [viaServer, viaServerCpu] = await withCpu(pids, () => uploadThroughServer(server.url, sessionToken, TOTAL));
        console.log(`  round ${round}: direct ${direct.seconds.toFixed(2)} s, through our server ${viaServer.seconds.toFixed(2)} s`);
        if (viaServer.contentHash !== direct.contentHash) {
          throw new Error(`content hashes differ: direct ${direct.contentHash}, through our server ${viaServer.contentHash}`);
        }
        rounds.push({ direct, directCpu, viaServer, viaServerCpu });
      }
    } finally {
      rss = sampler.stop();
    }

    const ratios = rounds.map((r) => r.direct.seconds / r.viaServer.seconds);
    const ratio = [...ratios].sort((a, b) => a - b)[ratios.length >> 1]!;
    const growth = rss.peak - baseline;
    const cpu = (c: CpuSeconds) => `${c.bench.toFixed(1)} / ${c.emulator.toFixed(1)} / ${c.server.toFixed(1)}`;
    const row = (label: string, m: Measured, c: CpuSeconds) =>
      `  ${label.padEnd(24)}${String(TOTAL).padStart(14)}${m.seconds.toFixed(2).padStart(10)}` +
      `${mibPerSecond(TOTAL, m.seconds).toFixed(1).padStart(10)}    ${cpu(c)}`;
    console.log("");
    console.log(`  ${"".padEnd(24)}${"bytes".padStart(14)}${"seconds".padStart(10)}${"MiB/s".padStart(10)}    CPU s (bench / emulator / server)`);
    rounds.forEach((r, i) => {
      const suffix = ROUNDS > 1 ? ` #${i + 1}` : "";
      console.log(row(`direct to emulator${suffix}`, r.direct, r.directCpu));
      console.log(row(`through our server${suffix}`, r.viaServer, r.viaServerCpu));
    });
    console.log("");
    const each = ROUNDS > 1 ? `median of ${ratios.map((r) => r.toFixed(2)).join(", ")}` : "one round";
    console.log(`  throughput ratio   ${ratio.toFixed(2)}  (${each}; target >= ${TARGET_RATIO})  ${verdict(ratio >= TARGET_RATIO)}`);
    console.log(
      `  server RSS (MB)    baseline ${(baseline / MB).toFixed(1)}, peak ${(rss.peak / MB).toFixed(1)}, ` +
        `growth ${(growth / MB).toFixed(1)}  (target < ${TARGET_RSS_GROWTH_BYTES / MB})  ${verdict(growth < TARGET_RSS_GROWTH_BYTES)}`,
    );
    console.log(`  (baseline: median idle VmRSS after a full GC, before the server's first upload; peak: ${rss.method}; MB = 10^6 bytes)`);
    console.log(`  overall: ${verdict(ratio >= TARGET_RATIO && growth < TARGET_RSS_GROWTH_BYTES)}`);
  } finally {
    for (const child of children.reverse()) await child.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
