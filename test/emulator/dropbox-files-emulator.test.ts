import { createHash } from "node:crypto";
import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { ALICE, CLIENT, control, login, readAnswer } from "./helpers.js";

const MIB = 1024 * 1024;
let emu: RunningEmulator;
let token: string;

beforeAll(async () => {
  emu = await startProviderEmulator({ dropbox: { clients: [CLIENT] } });
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.dropbox.reset();
  token = (await login(emu, { scope: "files.content.write" })).accessToken;
});

/** Dropbox's published algorithm, written plainly over a whole buffer, to check the streaming one. */
function referenceHash(data: Buffer): string {
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += 4 * MIB) {
    blocks.push(createHash("sha256").update(data.subarray(offset, offset + 4 * MIB)).digest());
  }
  return createHash("sha256").update(Buffer.concat(blocks)).digest("hex");
}

function patterned(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) data[i] = (i * 31 + (i >> 12)) & 0xff;
  return data;
}

/** Dropbox-API-Arg must be header-safe: non-ASCII escaped as \uXXXX. */
function headerJson(arg: unknown): string {
  return JSON.stringify(arg).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

async function content(
  path: string,
  arg: unknown,
  body: Buffer = Buffer.alloc(0),
): Promise<{ status: number; body: Record<string, unknown> | null; text: string; headers: Headers }> {
  const res = await fetch(new URL(path, emu.url), {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/octet-stream",
      "dropbox-api-arg": headerJson(arg),
    },
    body: Buffer.from(body), // a copy: fetch's types want a Buffer over a plain ArrayBuffer
  });
  return { ...(await readAnswer(res)), headers: res.headers };
}

const upload = (arg: Record<string, unknown>, body: Buffer) => content("/2/files/upload", arg, body);

async function startSession(body: Buffer = Buffer.alloc(0), arg: Record<string, unknown> = {}): Promise<string> {
  const res = await content("/2/files/upload_session/start", arg, body);
  expect(res.status).toBe(200);
  return res.body?.session_id as string;
}

const append = (sessionId: string, offset: number, body: Buffer, extra: Record<string, unknown> = {}) =>
  content("/2/files/upload_session/append_v2", { cursor: { session_id: sessionId, offset }, ...extra }, body);

const finish = (sessionId: string, offset: number, commit: Record<string, unknown>, body: Buffer = Buffer.alloc(0)) =>
  content("/2/files/upload_session/finish", { cursor: { session_id: sessionId, offset }, commit }, body);

function sessionOffset(sessionId: string): number | undefined {
  return emu.dropbox.listUploadSessions().find((session) => session.sessionId === sessionId)?.offset;
}

describe("upload", () => {
  it("stores a file with Dropbox's content_hash and keeps small contents", async () => {
    const data = Buffer.from("quiz,answer\n1,42\n");
    const res = await upload({ path: "/Exports/quiz.csv", mode: "add" }, data);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ".tag": "file",
      name: "quiz.csv",
      path_display: "/Exports/quiz.csv",
      size: data.length,
      content_hash: referenceHash(data),
      is_downloadable: true,
    });
    const stored = emu.dropbox.listFiles(ALICE).find((entry) => entry.pathLower === "/exports/quiz.csv");
    expect(Buffer.from(stored?.contentBase64 ?? "", "base64").toString()).toBe(data.toString());
  });

  it("hashes multi-block and empty files like Dropbox", async () => {
    const data = patterned(9 * MIB + 7);
    expect((await upload({ path: "/big.bin" }, data)).body?.content_hash).toBe(referenceHash(data));
    expect((await upload({ path: "/empty.bin" }, Buffer.alloc(0))).body?.content_hash).toBe(
      createHash("sha256").digest("hex"),
    );
  });

  it("keeps only size and hash above storeContentUpToBytes", async () => {
    emu.dropbox.setUploadLimits({ storeContentUpToBytes: 16 });
    await upload({ path: "/small.txt" }, Buffer.from("0123456789abcdef"));
    await upload({ path: "/large.txt" }, Buffer.from("0123456789abcdefX"));
    const [large, small] = emu.dropbox.listFiles(ALICE);
    expect(large).toMatchObject({ name: "large.txt", size: 17, contentBase64: null });
    expect(large?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(small?.contentBase64).not.toBeNull();
  });

  it("follows Dropbox's header rules", async () => {
    const escaped = await upload({ path: "/Café/menü.txt" }, Buffer.from("x"));
    expect(escaped.body).toMatchObject({ path_display: "/Café/menü.txt" });
    const raw = await fetch(new URL("/2/files/upload", emu.url), {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/octet-stream",
        "dropbox-api-arg": Buffer.from(JSON.stringify({ path: "/é.txt" })).toString("latin1"),
      },
      body: "x",
    });
    expect(raw.status).toBe(400);
    const wrongType = await fetch(new URL("/2/files/upload", emu.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "dropbox-api-arg": "{}" },
      body: "x",
    });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.text()).toContain('Bad HTTP "Content-Type" header');
  });

  it("applies write modes, conflicts and autorename", async () => {
    const first = (await upload({ path: "/a/report.pdf" }, Buffer.from("v1"))).body;
    const conflict = await upload({ path: "/A/REPORT.pdf", mode: "add" }, Buffer.from("v2"));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({
      error_summary: expect.stringMatching(/^path\/conflict\/file\//),
      error: { ".tag": "path", reason: { ".tag": "conflict", conflict: { ".tag": "file" } } },
    });
    const renamed = await upload({ path: "/a/report.pdf", autorename: true }, Buffer.from("v2"));
    expect(renamed.body?.name).toBe("report (1).pdf");
    const same = await upload({ path: "/a/report.pdf" }, Buffer.from("v1"));
    expect(same.body?.rev).toBe(first?.rev); // identical bytes are not a conflict
    expect((await upload({ path: "/a/report.pdf", strict_conflict: true }, Buffer.from("v1"))).status).toBe(409);
    const overwritten = (await upload({ path: "/a/report.pdf", mode: { ".tag": "overwrite" } }, Buffer.from("v3"))).body;
    expect(overwritten).toMatchObject({ id: first?.id, size: 2 });
    expect(overwritten?.rev).not.toBe(first?.rev);
    const update = { ".tag": "update", update: overwritten?.rev };
    expect((await upload({ path: "/a/report.pdf", mode: update }, Buffer.from("v4"))).status).toBe(200);
    expect((await upload({ path: "/a/report.pdf", mode: update }, Buffer.from("v5"))).status).toBe(409);
    const onFolder = await upload({ path: "/a" }, Buffer.from("x"));
    expect(onFolder.body?.error_summary).toMatch(/^path\/conflict\/folder\//);
  });

  it("refuses disallowed names and writes past the quota", async () => {
    const ini = await upload({ path: "/x/desktop.ini" }, Buffer.from("x"));
    expect(ini.status).toBe(409);
    expect(ini.body?.error_summary).toMatch(/^path\/disallowed_name\//);
    emu.dropbox.setQuota(ALICE, 10);
    expect((await upload({ path: "/fits.bin" }, Buffer.alloc(10))).status).toBe(200);
    const full = await upload({ path: "/more.bin" }, Buffer.alloc(1));
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ error: { ".tag": "path", reason: { ".tag": "insufficient_space" } } });
    expect((await upload({ path: "/fits.bin", mode: "overwrite" }, Buffer.alloc(10, 1))).status).toBe(200);
  });

  it("enforces the per-request cap with payload_too_large", async () => {
    emu.dropbox.setUploadLimits({ maxRequestBytes: 1024 });
    const res = await upload({ path: "/too-big.bin" }, Buffer.alloc(1025));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error_summary: "payload_too_large/..", error: { ".tag": "payload_too_large" } });
    expect(emu.dropbox.listFiles(ALICE)).toEqual([]);
  });

  it("checks an optional content_hash", async () => {
    const data = Buffer.from("checked");
    expect((await upload({ path: "/ok.txt", content_hash: referenceHash(data) }, data)).status).toBe(200);
    const bad = await upload({ path: "/bad.txt", content_hash: "0".repeat(64) }, data);
    expect(bad.body?.error_summary).toMatch(/^content_hash_mismatch\//);
  });
});

describe("upload sessions", () => {
  it("assembles a sequential session and reports offsets", async () => {
    const data = patterned(5 * MIB + 123);
    const id = await startSession(data.subarray(0, 1000));
    expect(sessionOffset(id)).toBe(1000);
    expect((await append(id, 1000, data.subarray(1000, 3 * MIB))).status).toBe(200);
    const sessions = (await control(emu, "GET", "/upload-sessions")).body;
    expect(sessions).toEqual([expect.objectContaining({ sessionId: id, offset: 3 * MIB, type: "sequential" })]);
    const done = await finish(id, 3 * MIB, { path: "/Exports/all.bin" }, data.subarray(3 * MIB));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ size: data.length, content_hash: referenceHash(data) });
    expect(emu.dropbox.listUploadSessions()).toEqual([]);
    const again = await finish(id, data.length, { path: "/Exports/all.bin" });
    expect(again.body?.error_summary).toMatch(/^lookup_failed\/not_found\//);
  });

  it("answers a wrong offset with incorrect_offset and the correct one", async () => {
    const id = await startSession(Buffer.alloc(10));
    const res = await append(id, 4, Buffer.alloc(10));
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error_summary: "incorrect_offset/..",
      error: { ".tag": "incorrect_offset", correct_offset: 10 },
    });
    const fin = await finish(id, 3, { path: "/x" });
    expect(fin.body).toMatchObject({
      error: { ".tag": "lookup_failed", lookup_failed: { ".tag": "incorrect_offset", correct_offset: 10 } },
    });
  });

  it("refuses appends after close and caps each request", async () => {
    emu.dropbox.setUploadLimits({ maxRequestBytes: 100 });
    const id = await startSession(Buffer.alloc(50));
    const tooBig = await append(id, 50, Buffer.alloc(101));
    expect(tooBig.body?.error_summary).toMatch(/^payload_too_large\//);
    expect(sessionOffset(id)).toBe(50);
    expect((await append(id, 50, Buffer.alloc(100), { close: true })).status).toBe(200);
    expect((await append(id, 150, Buffer.alloc(1))).body?.error_summary).toMatch(/^closed\//);
    expect((await finish(id, 150, { path: "/closed.bin" })).body).toMatchObject({ size: 150 });
  });

  it("keeps the session when finish fails, so it can be retried", async () => {
    emu.dropbox.putFile(ALICE, "/taken.txt", "old");
    const id = await startSession(Buffer.from("new"));
    const conflict = await finish(id, 3, { path: "/taken.txt", mode: "add" });
    expect(conflict.body).toMatchObject({ error: { ".tag": "path", path: { ".tag": "conflict" } } });
    const retried = await finish(id, 3, { path: "/taken.txt", mode: "add", autorename: true });
    expect(retried.body?.name).toBe("taken (1).txt");
  });

  it("assembles a concurrent session from out-of-order 4 MiB pieces", async () => {
    const data = patterned(2 * 4 * MIB + 5000);
    const id = await startSession(Buffer.alloc(0), { session_type: { ".tag": "concurrent" } });
    expect((await append(id, 8 * MIB, data.subarray(8 * MIB), { close: true })).status).toBe(200);
    expect((await finish(id, data.length, { path: "/c.bin" })).body?.error_summary).toMatch(
      /^concurrent_session_missing_data\//,
    );
    expect((await append(id, 4 * MIB, data.subarray(4 * MIB, 8 * MIB))).status).toBe(200);
    expect((await append(id, 0, data.subarray(0, 4 * MIB))).status).toBe(200);
    const done = await finish(id, data.length, { path: "/c.bin" });
    expect(done.body).toMatchObject({ size: data.length, content_hash: referenceHash(data) });
  });

  it("enforces concurrent-session rules", async () => {
    const withData = await content("/2/files/upload_session/start", { session_type: "concurrent" }, Buffer.from("x"));
    expect(withData.body?.error_summary).toMatch(/^concurrent_session_data_not_allowed\//);
    const id = await startSession(Buffer.alloc(0), { session_type: "concurrent" });
    expect((await append(id, 100, Buffer.alloc(4))).body?.error_summary).toMatch(/^concurrent_session_invalid_offset\//);
    expect((await append(id, 0, Buffer.alloc(4))).body?.error_summary).toMatch(
      /^concurrent_session_invalid_data_size\//,
    );
    expect((await finish(id, 0, { path: "/c.bin" })).body?.error_summary).toMatch(/^concurrent_session_not_closed\//);
  });
});

describe("upload faults", () => {
  it("does not store an append answered with an injected 500", async () => {
    const id = await startSession(Buffer.alloc(10));
    emu.dropbox.injectFault({ endpoint: "upload_session_append_v2", kind: "http500" });
    expect((await append(id, 10, Buffer.alloc(10))).status).toBe(500);
    expect(sessionOffset(id)).toBe(10);
    expect((await append(id, 10, Buffer.alloc(10))).status).toBe(200);
    expect(sessionOffset(id)).toBe(20);
  });

  it("drops the connection mid-body on reset, storing nothing", async () => {
    const id = await startSession(Buffer.alloc(10));
    emu.dropbox.injectFault({ endpoint: "upload_session_append_v2", kind: "reset" });
    await expect(append(id, 10, Buffer.alloc(8 * MIB))).rejects.toThrow();
    expect(sessionOffset(id)).toBe(10);
  });

  it("ignores a chunk whose client hung up mid-body", async () => {
    const id = await startSession(Buffer.alloc(10));
    const req = request(new URL("/2/files/upload_session/append_v2", emu.url), {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/octet-stream",
        "dropbox-api-arg": JSON.stringify({ cursor: { session_id: id, offset: 10 } }),
        "content-length": String(MIB),
      },
    });
    req.on("error", () => undefined);
    req.write(Buffer.alloc(1000));
    await new Promise((resolve) => setTimeout(resolve, 30));
    req.destroy();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sessionOffset(id)).toBe(10);
    expect((await append(id, 10, Buffer.alloc(5))).status).toBe(200);
  });

  it("rate-limits uploads with 429 and Retry-After", async () => {
    emu.dropbox.injectFault({ endpoint: "upload", kind: "rate_limited", retryAfterSeconds: 3 });
    const res = await upload({ path: "/r.txt" }, Buffer.from("x"));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(res.body).toMatchObject({ error: { reason: { ".tag": "too_many_requests" }, retry_after: 3 } });
  });

  it("sets quota and limits over HTTP", async () => {
    expect((await control(emu, "PUT", "/quota", { accountId: ALICE, bytes: 0 })).status).toBe(200);
    expect((await upload({ path: "/q.txt" }, Buffer.from("x"))).body?.error_summary).toMatch(
      /^path\/insufficient_space\//,
    );
    await control(emu, "PUT", "/quota", { accountId: ALICE, bytes: null });
    await control(emu, "PUT", "/upload-limits", { maxRequestBytes: 1 });
    expect((await upload({ path: "/q.txt" }, Buffer.from("xy"))).status).toBe(409);
    expect((await control(emu, "PUT", "/upload-limits", { maxRequestBytes: -1 })).status).toBe(400);
  });
});

describe("streaming", () => {
  it("uploads 1 GiB through a session without holding it in memory", async () => {
    const piece = Buffer.alloc(MIB, 7);
    const step = 128 * MIB;
    const post = (path: string, arg: unknown, bytes: number) =>
      new Promise<number>((resolve, reject) => {
        const req = request(new URL(path, emu.url), {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/octet-stream",
            "dropbox-api-arg": JSON.stringify(arg),
            "content-length": String(bytes),
          },
        });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        let sent = 0;
        const pump = () => {
          while (sent < bytes) {
            sent += piece.length;
            if (!req.write(piece)) return void req.once("drain", pump);
          }
          req.end();
        };
        pump();
      });

    const id = await startSession();
    const before = process.memoryUsage().rss;
    let peak = before;
    for (let offset = 0; offset < 1024 * MIB; offset += step) {
      expect(await post("/2/files/upload_session/append_v2", { cursor: { session_id: id, offset } }, step)).toBe(200);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const done = await finish(id, 1024 * MIB, { path: "/backup.bin" });
    const block = createHash("sha256").update(Buffer.alloc(4 * MIB, 7)).digest();
    const expected = createHash("sha256").update(Buffer.concat(Array<Buffer>(256).fill(block))).digest("hex");
    expect(done.body).toMatchObject({ size: 1024 * MIB, content_hash: expected });
    expect(peak - before).toBeLessThan(128 * MIB);
  });
});
