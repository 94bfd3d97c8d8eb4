import { request as httpRequest } from "node:http";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
// The emulated Dropbox's own content_hash, written independently of the server's hasher.
import { contentHashOf } from "../src/emulator/dropbox/files/content-hash.js";
import { print } from "graphql";
import { ALICE, callsSince, clientOf, connectDropbox, signUpUser, startDropboxStack, type DropboxStack, type TestUser } from "./support/dropbox.js";
import { expectTypename } from "./support/typed.js";
import { EXPORT, exported, postExport, type UploadResponse } from "./support/export.js";
import {
  CreateDropboxFolderDocument,
  DisconnectDropboxDocument,
  DropboxExportsDocument,
  ExportProgressDocument,
  type ExportProgressSubscription,
  type ExportToDropboxMutation,
  type ExportToDropboxMutationVariables,
} from "./generated/graphql/graphql.js";

const MiB = 1024 * 1024;
// ExportProgress is a server-sent event stream, which graphql-request does not read: the tests post
// the generated document's text themselves.
const EXPORT_PROGRESS = print(ExportProgressDocument);

const BOUNDARY = "----qbi-test-boundary";

/** A GraphQL multipart body for EXPORT up to the start of the file part's bytes. */
function multipartUpTo(fileName: string): string {
  const operations = JSON.stringify({ query: EXPORT, variables: { file: null } });
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ["variables.file"] })}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="${fileName}"\r\n` +
    `Content-Type: application/octet-stream\r\n\r\n`
  );
}

/** The DropboxExport of an upload that must have been exported. */
const exportOf = (res: UploadResponse) => expectTypename(exported(res), "DropboxExport");


describe.each(databaseModes())("Dropbox export (%s database)", (mode) => {
  let stack: DropboxStack;
  let user: TestUser;

  beforeAll(async () => {
    // 4 MiB chunks keep multi-session tests small.
    stack = await startDropboxStack(mode, { env: { DROPBOX_UPLOAD_CHUNK_BYTES: String(4 * MiB) } });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    stack.emulator.dropbox.clearFaults();
    stack.emulator.dropbox.setQuota(ALICE, null);
    user = await signUpUser(stack.server);
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    expect((await connectDropbox(stack, user)).searchParams.get("dropbox")).toBe("connected");
  });
  afterEach(async () => {
    stack.emulator.dropbox.clearFaults();
    await clientOf(stack.server, user).request(DisconnectDropboxDocument);
  });

  const upload = (
    bytes: Uint8Array,
    fileName: string,
    variables?: Omit<ExportToDropboxMutationVariables, "file">,
    headers?: Record<string, string>,
  ) => postExport(stack.server.graphqlUrl, user.token, { bytes, name: fileName }, variables, headers);
  const fileAt = (path: string) =>
    stack.emulator.dropbox.listFiles(ALICE).find((f) => f.pathLower === path.toLowerCase() && f.kind === "file");

  it("exports a small file with one /2/files/upload into <exportPath>/<folder>/<name>", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ round: 1, questions: ["Name that tune"] }));
    const calls = callsSince(stack.emulator.dropbox);
    const res = await upload(bytes, "round-1.json", { folder: "2026//December/" });
    expect(res.status).toBe(200);
    const result = exported(res);
    expect(result).toMatchObject({
      __typename: "DropboxExport",
      status: "COMPLETED",
      fileName: "round-1.json",
      targetPath: "/QuizzicalBeats/2026/December/round-1.json",
      finalPath: "/QuizzicalBeats/2026/December/round-1.json",
      bytesSent: bytes.length,
      totalBytes: bytes.length,
      contentHash: contentHashOf(bytes),
    });
    expect(calls("upload")).toBe(1);
    expect(calls("upload_session_start")).toBe(0);
    const stored = fileAt(expectTypename(result, "DropboxExport").finalPath!);
    expect(Buffer.from(stored!.contentBase64!, "base64").equals(Buffer.from(bytes))).toBe(true);
  });

  it("streams a multi-chunk file through an upload session (start, append_v2, finish) and verifies the hash", async () => {
    const bytes = randomBytes(10 * MiB + 12345);
    const calls = callsSince(stack.emulator.dropbox);
    const result = exportOf(await upload(bytes, "round-2.mp3"));
    expect(result).toMatchObject({ status: "COMPLETED", bytesSent: bytes.length, contentHash: contentHashOf(bytes) });
    expect(calls("upload")).toBe(0);
    expect(calls("upload_session_start")).toBe(1);
    expect(calls("upload_session_append_v2")).toBe(2);
    expect(calls("upload_session_finish")).toBe(1);
    expect(fileAt(result.finalPath!)).toMatchObject({ size: bytes.length, contentHash: contentHashOf(bytes) });
  });

  it("sends a file of exactly one chunk through a session it finishes empty", async () => {
    const bytes = randomBytes(4 * MiB);
    const calls = callsSince(stack.emulator.dropbox);
    const result = exportOf(await upload(bytes, "exact.bin"));
    expect(result).toMatchObject({ status: "COMPLETED", bytesSent: bytes.length, contentHash: contentHashOf(bytes) });
    expect(calls("upload")).toBe(0);
    expect(calls("upload_session_start")).toBe(1);
    expect(calls("upload_session_append_v2")).toBe(0);
    expect(calls("upload_session_finish")).toBe(1);
    expect(fileAt(result.finalPath!)).toMatchObject({ size: bytes.length, contentHash: contentHashOf(bytes) });
  });

  it("autorenames by default and overwrites when asked", async () => {
    const first = exportOf(await upload(new TextEncoder().encode("v1"), "sheet.pdf"));
    const second = exportOf(await upload(new TextEncoder().encode("v2"), "sheet.pdf"));
    expect(second.finalPath).toBe(first.finalPath!.replace("sheet.pdf", "sheet (1).pdf"));
    const third = exportOf(await upload(new TextEncoder().encode("v3"), "sheet.pdf", { conflict: "OVERWRITE" }));
    expect(third.finalPath).toBe(first.finalPath);
    expect(Buffer.from(fileAt(first.finalPath!)!.contentBase64!, "base64").toString()).toBe("v3");
  });

  it.each([
    ["http500", {}],
    ["reset", {}],
    ["rate_limited", { retryAfterSeconds: 1 }],
    ["unauthorized", {}],
    // Dropbox stored the chunk but the answer was lost: the retry gets incorrect_offset and resumes.
    ["lost_response", {}],
  ] as const)("recovers from %s during an append and completes", async (kind, extra) => {
    const bytes = randomBytes(9 * MiB);
    const calls = callsSince(stack.emulator.dropbox);
    stack.emulator.dropbox.injectFault({ endpoint: "upload_session_append_v2", kind, ...extra });
    expect(exported(await upload(bytes, `faulty-${kind}.mp3`))).toMatchObject({ status: "COMPLETED", contentHash: contentHashOf(bytes) });
    expect(calls("upload_session_append_v2")).toBe(3); // 2 chunks after start + 1 retry
    if (kind === "unauthorized") expect(calls("token:refresh_token")).toBe(1);
    if (kind === "lost_response") {
      const file = stack.emulator.dropbox.listFiles(ALICE).find((f) => f.name === "faulty-lost_response.mp3");
      expect(file?.size).toBe(bytes.length); // the chunk was not sent twice
    }
  });

  it("refreshes a token that expires mid-upload and carries on", async () => {
    const bytes = randomBytes(9 * MiB);
    const calls = callsSince(stack.emulator.dropbox);
    // The server's clock jumps 4 hours once the first chunk is out.
    const offset = stack.server.clock.offsetMs;
    const timer = setInterval(async () => {
      const rows = await stack.server.server.database.prisma.dropboxExport.findMany({ where: { userId: user.id } });
      if (rows.some((r) => r.bytesSent > 0n)) {
        stack.server.clock.offsetMs = offset + 4 * 3600_000;
        clearInterval(timer);
      }
    }, 5);
    try {
      expect(exportOf(await upload(bytes, "long.mp3")).status).toBe("COMPLETED");
    } finally {
      clearInterval(timer);
      stack.server.clock.offsetMs = offset;
    }
    expect(calls("token:refresh_token")).toBeGreaterThanOrEqual(1);
  });

  it("reports insufficient space as a typed failure and records it", async () => {
    stack.emulator.dropbox.setQuota(ALICE, 1000);
    const result = exported(await upload(randomBytes(5000), "big.pdf"));
    expect(result).toMatchObject({ __typename: "DropboxExportFailedError", code: "INSUFFICIENT_SPACE", retryable: false });
    const failure = expectTypename(result, "DropboxExportFailedError");
    expect(failure.message).toMatch(/Dropbox is full/);
    const record = await stack.server.server.database.prisma.dropboxExport.findUniqueOrThrow({ where: { id: failure.exportId } });
    expect(record).toMatchObject({ status: "FAILED", errorCode: "INSUFFICIENT_SPACE" });
  });

  it.each([
    [{ folder: "../escape" }, "big.pdf", "folder", /"\." or "\.\." segments/],
    [{ folder: "a\\b" }, "big.pdf", "folder", /backslashes/],
    [{}, "desktop.ini", "file", /not allow/],
    [{}, "   ", "file", /must not be empty/],
  ])("validates folder %o and name %j before sending anything", async (variables, fileName, field, message) => {
    const calls = callsSince(stack.emulator.dropbox);
    const result = exported(await upload(new TextEncoder().encode("x"), fileName, variables));
    expect(result).toMatchObject({ __typename: "ValidationError", field });
    expect(expectTypename(result, "ValidationError").message).toMatch(message);
    expect(calls("upload")).toBe(0);
    expect(await stack.server.server.database.prisma.dropboxExport.count({ where: { userId: user.id } })).toBe(0);
  });

  it("sanitizes a client-side path and characters Dropbox refuses in the file name", async () => {
    const result = exportOf(await upload(new TextEncoder().encode("x"), "C:\\fakepath\\Round: 3?.pdf"));
    expect(result.fileName).toBe("Round_ 3_.pdf");
  });

  it("refuses a multipart request without a CSRF header", async () => {
    const { status } = await upload(new TextEncoder().encode("x"), "a.txt", {}, {});
    expect(status).toBe(403);
  });

  it("leaves a FAILED record and no file when the client aborts mid-upload", async () => {
    const head = multipartUpTo("aborted.mp3");
    const url = new URL(stack.server.graphqlUrl);
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: "/graphql",
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
        "content-length": String(head.length + 20 * MiB),
        authorization: `Bearer ${user.token}`,
        "x-graphql-yoga-csrf": "1",
      },
    });
    req.on("error", () => undefined);
    req.write(head);
    req.write(randomBytes(6 * MiB));
    const prisma = stack.server.server.database.prisma;
    // Wait until the first chunk reached Dropbox, then drop the connection.
    for (let i = 0; i < 200 && (await prisma.dropboxExport.count({ where: { userId: user.id, bytesSent: { gt: 0 } } })) === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    req.destroy();
    let record = null;
    for (let i = 0; i < 200; i++) {
      record = await prisma.dropboxExport.findFirst({ where: { userId: user.id } });
      if (record?.status === "FAILED") break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(record).toMatchObject({ status: "FAILED", errorCode: "INTERRUPTED" });
    expect(fileAt(record!.targetPath)).toBeUndefined();
  });

  it("answers INTERRUPTED, leaves a FAILED record and no file when the body ends inside the file part", async () => {
    // A whole request, but the file part never gets its closing boundary.
    const body = Buffer.concat([Buffer.from(multipartUpTo("cut.mp3")), randomBytes(5 * MiB)]);
    const res = await fetch(stack.server.graphqlUrl, {
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
        authorization: `Bearer ${user.token}`,
        "x-graphql-yoga-csrf": "1",
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const result = ((await res.json()) as { data?: ExportToDropboxMutation }).data?.exportToDropbox;
    expect(result).toMatchObject({ __typename: "DropboxExportFailedError", code: "INTERRUPTED", retryable: true });
    const record = await stack.server.server.database.prisma.dropboxExport.findFirst({ where: { userId: user.id } });
    expect(record).toMatchObject({ status: "FAILED", errorCode: "INTERRUPTED" });
    expect(fileAt(record!.targetPath)).toBeUndefined();
  });

  it("lists exports newest first with cursor pagination", async () => {
    for (const name of ["a.txt", "b.txt", "c.txt"]) await upload(new TextEncoder().encode(name), name);
    const page = async (after?: string | null) => {
      const { me } = await clientOf(stack.server, user).request(DropboxExportsDocument, { first: 2, after });
      if (!me) throw new Error("DropboxExports: not signed in");
      return me.dropboxExports;
    };
    const first = await page();
    expect(first.edges.map((e) => e.node.fileName)).toEqual(["c.txt", "b.txt"]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.edges.map((e) => e.node.fileName)).toEqual(["a.txt"]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("streams progress over server-sent events until the export completes", async () => {
    const bytes = randomBytes(13 * MiB);
    const exporting = upload(bytes, "progress.mp3");
    const prisma = stack.server.server.database.prisma;
    let id: string | undefined;
    for (let i = 0; i < 400 && !id; i++) {
      id = (await prisma.dropboxExport.findFirst({ where: { userId: user.id } }))?.id;
      if (!id) await new Promise((r) => setTimeout(r, 10));
    }
    const response = await fetch(stack.server.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: EXPORT_PROGRESS, variables: { id } }),
    });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await response.text(); // the stream ends with the export
    const events = [...text.matchAll(/^data: (.+)$/gm)]
      .map((m) => JSON.parse(m[1]!) as { data?: ExportProgressSubscription | null })
      .flatMap((e) => (e.data ? [e.data.exportProgress] : []));
    expect(events.at(-1)).toMatchObject({ id, fileName: "progress.mp3", status: "COMPLETED", bytesSent: bytes.length });
    const sent = events.map((e) => e.bytesSent);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    await exporting;
  });

  it("creates folders, and reports a conflict", async () => {
    const create = async (path: string) =>
      (await clientOf(stack.server, user).request(CreateDropboxFolderDocument, { path })).createDropboxFolder;
    const made = await create("/QuizzicalBeats/Season 2");
    expect(made).toMatchObject({ __typename: "DropboxFolder", path: "/QuizzicalBeats/Season 2" });
    const again = await create("/QuizzicalBeats/Season 2/");
    expect(again).toMatchObject({ __typename: "DropboxPathConflictError", code: "DROPBOX_PATH_CONFLICT" });
    expect((await create("/a/../b")).__typename).toBe("ValidationError");
  });
});
