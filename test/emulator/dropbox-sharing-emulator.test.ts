import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startProviderEmulator, type RunningEmulator } from "../../src/emulator/index.js";
import { ALICE, BOB, CLIENT, control, login, readAnswer, rpc } from "./helpers.js";

const CREATE = "/2/sharing/create_shared_link_with_settings";
const LIST = "/2/sharing/list_shared_links";
const PUBLIC_VIEW = { requested_visibility: "public", audience: "public", access: "viewer" };
const LINK = /^https:\/\/www\.dropbox\.com\/scl\/fi\/[0-9a-f]{24}\/round%201\.pdf\?dl=0$/;

let emu: RunningEmulator;
let token: string;

beforeAll(async () => {
  emu = await startProviderEmulator({ dropbox: { clients: [CLIENT] } });
});
afterAll(() => emu.close());
beforeEach(async () => {
  emu.dropbox.reset();
  token = (await login(emu, { scope: "files.content.write sharing.write" })).accessToken;
  emu.dropbox.putFile(ALICE, "/Quiz/round 1.pdf", "questions");
});

const call = async (path: string, arg: unknown, as = token) => readAnswer(await rpc(emu, path, as, arg));

describe("create_shared_link_with_settings", () => {
  it("creates a public view-only link to a file, as FileLinkMetadata", async () => {
    const file = emu.dropbox.listFiles(ALICE).find((f) => f.pathLower === "/quiz/round 1.pdf")!;
    const { status, body } = await call(CREATE, { path: "/quiz/ROUND 1.pdf", settings: PUBLIC_VIEW });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ".tag": "file",
      id: file.id,
      name: "round 1.pdf",
      path_lower: "/quiz/round 1.pdf",
      rev: file.rev,
      size: 9,
      link_permissions: { resolved_visibility: { ".tag": "public" }, link_access_level: { ".tag": "viewer" } },
    });
    expect(body!.url).toMatch(LINK);
    expect(emu.dropbox.listSharedLinks(ALICE)).toEqual([
      expect.objectContaining({ url: body!.url, pathLower: "/quiz/round 1.pdf", audience: "public", access: "viewer" }),
    ]);
  });

  it("defaults to public view-only, and shares folders under /scl/fo/", async () => {
    const { body } = await call(CREATE, { path: "/Quiz" });
    expect(body).toMatchObject({ ".tag": "folder", name: "Quiz", link_permissions: { resolved_visibility: { ".tag": "public" } } });
    expect(body!.url).toMatch(/^https:\/\/www\.dropbox\.com\/scl\/fo\/[0-9a-f]{24}\/Quiz\?dl=0$/);
  });

  it("reports an existing link with its metadata when the settings match, without when they differ", async () => {
    const first = await call(CREATE, { path: "/Quiz/round 1.pdf", settings: PUBLIC_VIEW });
    const again = await call(CREATE, { path: "/Quiz/round 1.pdf", settings: PUBLIC_VIEW });
    expect(again.status).toBe(409);
    expect(again.body!.error_summary).toMatch(/^shared_link_already_exists\/metadata\//);
    expect(again.body!.error).toMatchObject({
      ".tag": "shared_link_already_exists",
      shared_link_already_exists: { ".tag": "metadata", metadata: { url: first.body!.url } },
    });

    const other = await call(CREATE, { path: "/Quiz/round 1.pdf", settings: { audience: "no_one" } });
    expect(other.status).toBe(409);
    expect(other.body!.error_summary).toMatch(/^shared_link_already_exists\/\.\./);
    expect(other.body!.error).toEqual({ ".tag": "shared_link_already_exists" });
    expect(emu.dropbox.listSharedLinks(ALICE)).toHaveLength(1);
  });

  it("keeps the link when the file is overwritten (same id)", async () => {
    const created = await call(CREATE, { path: "/Quiz/round 1.pdf" });
    emu.dropbox.putFile(ALICE, "/Quiz/round 1.pdf", "new questions");
    const again = await call(CREATE, { path: "/Quiz/round 1.pdf" });
    expect((again.body!.error as { shared_link_already_exists: { metadata: { url: string; size: number } } }).shared_link_already_exists.metadata).toMatchObject({
      url: created.body!.url,
      size: 13,
    });
  });

  it("refuses missing paths, bad settings and team links on a personal account", async () => {
    expect((await call(CREATE, { path: "/Quiz/nope.pdf" })).body).toMatchObject({ error_summary: "path/not_found/..", error: { ".tag": "path", path: { ".tag": "not_found" } } });
    expect((await call(CREATE, { path: "/Quiz/" })).body!.error_summary).toBe("path/malformed_path/..");
    const team = await call(CREATE, { path: "/Quiz/round 1.pdf", settings: { requested_visibility: "team_only" } });
    expect(team.body).toMatchObject({ error_summary: "settings_error/not_authorized/..", error: { settings_error: { ".tag": "not_authorized" } } });
    const bad = await call(CREATE, { path: "/Quiz/round 1.pdf", settings: { audience: "everyone" } });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/sharing\/create_shared_link_with_settings.*audience/);
    expect(emu.dropbox.listSharedLinks(ALICE)).toEqual([]);
  });

  it("needs sharing.write", async () => {
    const readOnly = (await login(emu, { scope: "files.content.write sharing.read" })).accessToken;
    const { status, body } = await call(CREATE, { path: "/Quiz/round 1.pdf" }, readOnly);
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: { ".tag": "missing_scope", required_scope: "sharing.write" } });
  });
});

describe("list_shared_links", () => {
  it("lists the links of a path, of its folders unless direct_only, and of the whole account", async () => {
    const file = (await call(CREATE, { path: "/Quiz/round 1.pdf" })).body!.url;
    const folder = (await call(CREATE, { path: "/Quiz" })).body!.url;
    emu.dropbox.putFile(ALICE, "/other.txt", "x");

    const direct = await call(LIST, { path: "/Quiz/round 1.pdf", direct_only: true });
    expect(direct.status).toBe(200);
    expect(direct.body).toEqual({ links: [expect.objectContaining({ ".tag": "file", url: file })], has_more: false });
    const withParents = await call(LIST, { path: "/Quiz/round 1.pdf" });
    expect((withParents.body!.links as { url: string }[]).map((l) => l.url)).toEqual([file, folder]);
    const all = await call(LIST, {});
    expect((all.body!.links as { url: string }[]).map((l) => l.url).sort()).toEqual([file, folder].sort());
    expect((await call(LIST, { path: "/other.txt" })).body).toEqual({ links: [], has_more: false });
  });

  it("answers path/not_found, reset for a cursor, and needs sharing.read", async () => {
    expect((await call(LIST, { path: "/nope" })).body!.error_summary).toBe("path/not_found/..");
    expect((await call(LIST, { cursor: "abc" })).body!.error_summary).toBe("reset/..");
    const filesOnly = (await login(emu, { scope: "files.content.write" })).accessToken;
    expect((await call(LIST, {}, filesOnly)).body).toMatchObject({ error: { required_scope: "sharing.read" } });
  });

  it("shows only the caller's own links", async () => {
    await call(CREATE, { path: "/Quiz/round 1.pdf" });
    emu.dropbox.putFile(BOB, "/Quiz/round 1.pdf", "bob's");
    emu.dropbox.setBrowserAccount(BOB);
    const bob = (await login(emu, { scope: "sharing.write files.content.write" })).accessToken;
    expect((await call(LIST, {}, bob)).body).toEqual({ links: [], has_more: false });
    expect((await call(LIST, { path: "/Quiz/round 1.pdf" }, bob)).body).toEqual({ links: [], has_more: false });
  });
});

describe("sharing keys, faults and control", () => {
  it("counts calls and plays faults on create_shared_link_with_settings and list_shared_links", async () => {
    emu.dropbox.injectFault({ endpoint: "create_shared_link_with_settings", kind: "http500" });
    emu.dropbox.injectFault({ endpoint: "list_shared_links", kind: "rate_limited", retryAfterSeconds: 3 });
    expect((await call(CREATE, { path: "/Quiz/round 1.pdf" })).status).toBe(500);
    const limited = await rpc(emu, LIST, token, {});
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(emu.dropbox.listSharedLinks(ALICE)).toEqual([]);
    expect((await call(CREATE, { path: "/Quiz/round 1.pdf" })).status).toBe(200);
    expect(emu.dropbox.callCounts()).toMatchObject({ create_shared_link_with_settings: 2, list_shared_links: 1 });
  });

  it("creates and lists links over the HTTP control API, and reset forgets them", async () => {
    const made = await control(emu, "POST", "/shared-links", { accountId: ALICE, path: "/Quiz/round 1.pdf", audience: "no_one" });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ accountId: ALICE, pathLower: "/quiz/round 1.pdf", audience: "no_one", access: "viewer" });
    expect((made.body as { url: string }).url).toMatch(LINK);
    expect((await control(emu, "POST", "/shared-links", { accountId: ALICE, path: "/Quiz/round 1.pdf" })).status).toBe(400);
    expect((await control(emu, "POST", "/shared-links", { accountId: ALICE, path: "/nope" })).status).toBe(400);
    expect((await control(emu, "POST", "/shared-links", { accountId: ALICE, path: "/Quiz", audience: "team" })).status).toBe(400);
    expect((await control(emu, "GET", `/shared-links?accountId=${encodeURIComponent(ALICE)}`)).body).toEqual([made.body]);

    // The API sees the control-made link: other settings than asked, so no metadata.
    expect((await call(CREATE, { path: "/Quiz/round 1.pdf" })).body!.error).toEqual({ ".tag": "shared_link_already_exists" });
    emu.dropbox.reset();
    expect(emu.dropbox.listSharedLinks(ALICE)).toEqual([]);
  });
});
