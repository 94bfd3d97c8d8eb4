import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startProviderEmulator, type DropboxAccountConfig, type RunningEmulator } from "../src/emulator/index.js";
import { freePort } from "../scripts/free-port.js";
import { databaseModes } from "./support/database.js";
import {
  callsSince,
  DROPBOX_KEY,
  DROPBOX_SECRET,
  clientOf,
  connectDropbox,
  dropboxIntegration,
  signUpUser,
  startDropboxStack,
  type DropboxStack,
  type TestUser,
} from "./support/dropbox.js";
import { execute, expectGraphQLErrors, expectTypename } from "./support/typed.js";
import {
  DisconnectDropboxDocument,
  DropboxFoldersDocument,
  MeDocument,
  SetDropboxExportPathDocument,
  type DropboxFoldersQueryVariables,
} from "./generated/graphql/graphql.js";

/** Enough emulator accounts that every test links its own (an account links to one user at a time). */
const ACCOUNTS: DropboxAccountConfig[] = Array.from({ length: 24 }, (_, i) => {
  const n = String(i + 1).padStart(2, "0");
  return { accountId: `dbid:T${n}-tester`, displayName: `Tester ${n}`, email: `tester${n}@example.com` };
});

/** Folder names of `/` + segments, the path `length` characters long. */
function pathOfLength(length: number, leading = "/"): string {
  const segments: string[] = [];
  let remaining = length - leading.length;
  while (remaining > 0) {
    // Each segment after the first also costs a separator.
    const cost = segments.length === 0 ? 0 : 1;
    const size = Math.min(200, remaining - cost);
    segments.push(String.fromCharCode(97 + (segments.length % 26)).repeat(size));
    remaining -= size + cost;
  }
  return leading + segments.join("/");
}

describe.each(databaseModes())("Dropbox export path and folder listing (%s database)", (mode) => {
  let emulator: RunningEmulator;
  let stack: DropboxStack;
  let nextAccount = 0;

  beforeAll(async () => {
    // Our own emulator, with an account per test; the server's port is fixed up front so the
    // emulator can register its exact callback URL.
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    emulator = await startProviderEmulator({
      dropbox: {
        clients: [{ clientId: DROPBOX_KEY, clientSecret: DROPBOX_SECRET, redirectUris: [`${publicUrl}/users/dropbox/callback`] }],
        autoApprove: true,
        accounts: ACCOUNTS,
      },
    });
    stack = await startDropboxStack(mode, { emulator, env: { PORT: String(port), PUBLIC_URL: publicUrl } });
  });
  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });
  beforeEach(() => {
    stack.emulator.dropbox.clearFaults();
  });

  /** Connects the user with a Dropbox account no other test uses; returns the account id. */
  async function connectFresh(user: TestUser): Promise<string> {
    const account = ACCOUNTS[nextAccount++];
    if (!account) throw new Error("out of emulator accounts: add more to ACCOUNTS");
    stack.emulator.dropbox.setBrowserAccount(account.accountId);
    await connectAgain(user, account.accountId);
    return account.accountId;
  }

  async function connectAgain(user: TestUser, accountId: string): Promise<void> {
    stack.emulator.dropbox.setBrowserAccount(accountId);
    const landed = await connectDropbox(stack, user);
    expect(landed.searchParams.get("dropbox")).toBe("connected");
  }

  async function setPath(user: TestUser, path: string) {
    return (await clientOf(stack.server, user).request(SetDropboxExportPathDocument, { path })).setDropboxExportPath;
  }

  /** setDropboxExportPath that must succeed: the path it stored. */
  async function setPathOk(user: TestUser, path: string): Promise<string | null | undefined> {
    return expectTypename(await setPath(user, path), "User").dropboxExportPath;
  }

  async function exportPath(user: TestUser): Promise<string | null | undefined> {
    const { me } = await clientOf(stack.server, user).request(MeDocument);
    if (!me) throw new Error("Me: not signed in");
    return me.dropboxExportPath;
  }

  async function folders(user: TestUser, variables: DropboxFoldersQueryVariables = {}) {
    return (await clientOf(stack.server, user).request(DropboxFoldersDocument, variables)).dropboxFolders;
  }

  /** dropboxFolders that must list: the page. */
  async function folderPage(user: TestUser, variables: DropboxFoldersQueryVariables = {}) {
    return expectTypename(await folders(user, variables), "DropboxFolderPage");
  }

  const disconnect = (user: TestUser) => clientOf(stack.server, user).request(DisconnectDropboxDocument);

  const calls = (key: string) => stack.emulator.dropbox.callCounts()[key] ?? 0;

  describe("setDropboxExportPath", () => {
    let user: TestUser;
    const KNOWN = "/Known/Good";
    beforeAll(async () => {
      user = await signUpUser(stack.server);
    });
    beforeEach(async () => {
      expect(await setPath(user, KNOWN)).toEqual({ __typename: "User", id: user.id, dropboxExportPath: KNOWN });
    });

    it.each([
      ["QuizzicalBeats//2026/", "/QuizzicalBeats/2026"],
      ["///a", "/a"],
      ["/a/b/", "/a/b"],
      ["Music", "/Music"],
      ["/Quiz Nights/Round 1", "/Quiz Nights/Round 1"],
      ["/v1.2/.hidden/a..b", "/v1.2/.hidden/a..b"],
      ["/Música/🎵 Beats 2026", "/Música/🎵 Beats 2026"],
      ["日本語//フォルダ/", "/日本語/フォルダ"],
    ])("normalizes %j to %j", async (raw, normalized) => {
      expect(await setPath(user, raw)).toEqual({ __typename: "User", id: user.id, dropboxExportPath: normalized });
      expect(await exportPath(user)).toBe(normalized);
    });

    const refusals: [what: string, raw: string, message: RegExp][] = [
      ["a '..' segment", "/QuizzicalBeats/../etc", /must not contain "\." or "\.\." segments/],
      ["only '..'", "..", /must not contain "\." or "\.\." segments/],
      ["a '.' segment", "/QuizzicalBeats/./2026", /must not contain "\." or "\.\." segments/],
      ["a backslash", "/QuizzicalBeats\\2026", /must not contain backslashes/],
      ["a NUL character", "/Quizzical\u0000Beats", /must not contain control characters/],
      ["a newline", "/QuizzicalBeats\n/2026", /must not contain control characters/],
      ["a tab", "/Quizzical\tBeats", /must not contain control characters/],
      ["a DEL character", "/Quizzical\u007fBeats", /must not contain control characters/],
      ["more than 1024 characters", pathOfLength(1025), /at most 1024 characters/],
      ["a name longer than 255 characters", `/QuizzicalBeats/${"n".repeat(256)}`, /at most 255 characters/],
      ...[..."<>:\"|?*"].map((c): [string, string, RegExp] => [`the character ${c}`, `/Quiz${c}Beats`, /character Dropbox does not allow/]),
      ["a name ending in a dot", "/QuizzicalBeats/2026.", /"2026\." must not end with a dot/],
      ["a name ending in a space", "/QuizzicalBeats /2026", /"QuizzicalBeats " must not start or end with a space/],
      ["a name of only dots", "/...", /must not end with a dot/],
      ["desktop.ini", "/QuizzicalBeats/desktop.ini", /"desktop\.ini" is a name Dropbox does not allow/],
      ["Thumbs.db", "/Thumbs.db", /"Thumbs\.db" is a name Dropbox does not allow/],
      [".DS_Store", "/a/.DS_Store/b", /"\.DS_Store" is a name Dropbox does not allow/],
      ["DESKTOP.INI in capitals", "/DESKTOP.INI", /is a name Dropbox does not allow/],
      ["the empty string", "", /must name a folder/],
      ["the root", "/", /must name a folder/],
      ["only slashes", "///", /must name a folder/],
    ];
    it.each(refusals)("refuses a path with %s, keeping the stored path", async (_what, raw, message) => {
      const result = await setPath(user, raw);
      expect(result).toMatchObject({ __typename: "ValidationError", field: "path", code: "VALIDATION_FAILED" });
      const { message: text } = expectTypename(result, "ValidationError");
      expect(text).toMatch(/^Export path /);
      expect(text).toMatch(message);
      expect(await exportPath(user)).toBe(KNOWN);
    });

    it("limits the normalized path, not the raw input, to 1024 characters", async () => {
      const exact = pathOfLength(1024);
      expect(exact).toHaveLength(1024);
      expect(await setPathOk(user, exact)).toBe(exact);
      // Extra slashes that normalization removes do not count...
      expect(await setPathOk(user, `//${exact}/`)).toBe(exact);
      // ...and the leading slash normalization adds does.
      const noSlash = pathOfLength(1024, "");
      expect(noSlash).toHaveLength(1024);
      const refused = await setPath(user, noSlash);
      expect(refused).toMatchObject({ __typename: "ValidationError", field: "path" });
      expect(expectTypename(refused, "ValidationError").message).toMatch(/at most 1024 characters/);
      expect(await exportPath(user)).toBe(exact);
    });

    it("accepts a 255-character name", async () => {
      const name = "n".repeat(255);
      expect(await setPathOk(user, `/${name}`)).toBe(`/${name}`);
    });

    it("requires sign-in", async () => {
      const attempts: Record<string, string>[] = [{}, { authorization: "Bearer not-a-session" }];
      for (const headers of attempts) {
        const { errors } = await expectGraphQLErrors(
          execute(stack.server.graphqlUrl, SetDropboxExportPathDocument, { path: "/Elsewhere" }, { headers }),
        );
        expect(errors[0]!.message).toMatch(/Not signed in/);
        expect(errors[0]!.extensions?.code).toBe("UNAUTHENTICATED");
      }
      expect(await exportPath(user)).toBe(KNOWN);
    });
  });

  describe("export path across connect, reconnect and disconnect", () => {
    it("defaults to /QuizzicalBeats on first connect and keeps a chosen path on reconnect and disconnect", async () => {
      const user = await signUpUser(stack.server);
      expect(await exportPath(user)).toBeNull();
      const account = await connectFresh(user);
      expect(await exportPath(user)).toBe("/QuizzicalBeats");

      expect(await setPathOk(user, "/Exports/Quiz Night")).toBe("/Exports/Quiz Night");
      await connectAgain(user, account);
      expect(await dropboxIntegration(stack, user)).toMatchObject({ status: "CONNECTED", exportPath: "/Exports/Quiz Night" });

      expect((await disconnect(user)).disconnectDropbox.revoked).toBe(true);
      expect(await dropboxIntegration(stack, user)).toMatchObject({ status: "NOT_CONNECTED", exportPath: "/Exports/Quiz Night" });

      // Connecting again after a disconnect is not a first connect either.
      await connectAgain(user, account);
      expect(await exportPath(user)).toBe("/Exports/Quiz Night");
      await disconnect(user);
    });

    it("keeps the default path after a disconnect", async () => {
      const user = await signUpUser(stack.server);
      await connectFresh(user);
      await disconnect(user);
      expect(await dropboxIntegration(stack, user)).toMatchObject({ status: "NOT_CONNECTED", exportPath: "/QuizzicalBeats" });
    });

    it("keeps a path chosen before the first connect", async () => {
      const user = await signUpUser(stack.server);
      await setPath(user, "/Chosen Early");
      await connectFresh(user);
      expect(await dropboxIntegration(stack, user)).toMatchObject({ status: "CONNECTED", exportPath: "/Chosen Early" });
    });
  });

  describe("dropboxFolders", () => {
    it("lists only the folders at the root, with name, path and id", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      const music = stack.emulator.dropbox.createFolder(account, "/Music");
      stack.emulator.dropbox.createFolder(account, "/Music/2026");
      const quiz = stack.emulator.dropbox.createFolder(account, "/Quiz Nights");
      stack.emulator.dropbox.putFile(account, "/notes.txt", "not a folder");
      stack.emulator.dropbox.putFile(account, "/Music/track.mp3", "beats");

      for (const variables of [{}, { path: "/" }, { path: "" }]) {
        const page = await folderPage(user, variables);
        expect(page.hasMore).toBe(false);
        expect(typeof page.cursor).toBe("string");
        expect(page.folders).toEqual([
          { id: music.id, name: "Music", path: "/Music" },
          { id: quiz.id, name: "Quiz Nights", path: "/Quiz Nights" },
        ]);
      }
    });

    it("lists a subfolder by a path it normalizes, and the listed paths are valid export paths", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      const y2025 = stack.emulator.dropbox.createFolder(account, "/Music/2025");
      const emoji = stack.emulator.dropbox.createFolder(account, "/Music/🎵 Mixes");
      stack.emulator.dropbox.createFolder(account, "/Music/2025/Deeper");
      stack.emulator.dropbox.putFile(account, "/Music/readme.txt", "x");

      for (const path of ["/Music", "music/", "//MUSIC"]) {
        const page = await folderPage(user, { path });
        expect(page.folders).toEqual([
          { id: y2025.id, name: "2025", path: "/Music/2025" },
          { id: emoji.id, name: "🎵 Mixes", path: "/Music/🎵 Mixes" },
        ]);
      }
      const chosen = (await folderPage(user, { path: "/Music" })).folders[1]!.path;
      expect(await setPathOk(user, chosen)).toBe("/Music/🎵 Mixes");
    });

    it("pages with first: 2 until hasMore is false, each folder exactly once", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      const names = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"];
      for (const [i, name] of names.entries()) {
        stack.emulator.dropbox.createFolder(account, `/${name}`);
        if (i % 3 === 0) stack.emulator.dropbox.putFile(account, `/${name}.txt`, name);
      }

      const seen: string[] = [];
      let page = await folderPage(user, { first: 2 });
      let pages = 1;
      for (;;) {
        expect(page.__typename).toBe("DropboxFolderPage");
        expect(page.folders.length).toBeLessThanOrEqual(2);
        seen.push(...page.folders.map((f) => f.path));
        if (!page.hasMore) break;
        page = await folderPage(user, { cursor: page.cursor });
        pages++;
        expect(pages).toBeLessThan(20);
      }
      // 10 entries (7 folders, 3 files) two at a time.
      expect(pages).toBe(5);
      expect(seen).toHaveLength(names.length);
      expect([...seen].sort()).toEqual(names.map((n) => `/${n}`).sort());

      // Another user cannot continue this user's listing with the cursor.
      const other = await signUpUser(stack.server);
      await connectFresh(other);
      const stolen = await folders(other, { cursor: page.cursor });
      expect(stolen).toMatchObject({ __typename: "ValidationError", field: "cursor" });
    });

    it("answers DropboxPathNotFoundError for a missing folder or a file, naming the path", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      stack.emulator.dropbox.putFile(account, "/song.mp3", "x");

      const missing = await folders(user, { path: "No Such//Folder/" });
      expect(missing).toMatchObject({ __typename: "DropboxPathNotFoundError", code: "DROPBOX_PATH_NOT_FOUND", path: "/No Such/Folder" });
      expect(expectTypename(missing, "DropboxPathNotFoundError").message).toContain("/No Such/Folder");

      const file = await folders(user, { path: "/song.mp3" });
      expect(file).toMatchObject({ __typename: "DropboxPathNotFoundError", path: "/song.mp3" });
    });

    it("refuses an invalid path before calling Dropbox", async () => {
      const user = await signUpUser(stack.server);
      await connectFresh(user);
      const before = calls("list_folder");
      for (const path of ["a/../b", "/x\\y", "/a/desktop.ini", "/bad|name", "/a\u0000b"]) {
        const result = await folders(user, { path });
        expect(result).toMatchObject({ __typename: "ValidationError", field: "path", code: "VALIDATION_FAILED" });
        expect(expectTypename(result, "ValidationError").message).toMatch(/^Path /);
      }
      expect(calls("list_folder")).toBe(before);
    });

    it.each([0, -1, 2001, 5000])("refuses first: %d", async (first) => {
      const user = await signUpUser(stack.server);
      const before = calls("list_folder");
      const result = await folders(user, { first });
      expect(result).toMatchObject({ __typename: "ValidationError", field: "first", message: "first must be between 1 and 2000" });
      expect(calls("list_folder")).toBe(before);
    });

    it("refuses a garbage cursor with ValidationError on cursor", async () => {
      const user = await signUpUser(stack.server);
      await connectFresh(user);
      for (const cursor of ["garbage", "x".repeat(5000)]) {
        const result = await folders(user, { cursor });
        expect(result).toMatchObject({ __typename: "ValidationError", field: "cursor", code: "VALIDATION_FAILED" });
        expect(expectTypename(result, "ValidationError").message).toMatch(/cursor is not valid/);
      }
    });

    it("answers NotConnectedError for a user who never connected or disconnected", async () => {
      const never = await signUpUser(stack.server);
      const before = calls("list_folder");
      expect(await folders(never)).toMatchObject({ __typename: "NotConnectedError", code: "NOT_CONNECTED", provider: "DROPBOX" });
      expect(await folders(never, { cursor: "anything" })).toMatchObject({ __typename: "NotConnectedError" });
      expect(calls("list_folder")).toBe(before);

      const gone = await signUpUser(stack.server);
      await connectFresh(gone);
      await disconnect(gone);
      expect(await folders(gone)).toMatchObject({ __typename: "NotConnectedError", provider: "DROPBOX" });
    });

    it("requires sign-in", async () => {
      const { errors } = await expectGraphQLErrors(execute(stack.server.graphqlUrl, DropboxFoldersDocument, {}));
      expect(errors[0]!.extensions?.code).toBe("UNAUTHENTICATED");
    });

    it("turns Dropbox's 429 into ProviderUnavailableError with retryAfterSeconds", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      stack.emulator.dropbox.createFolder(account, "/Music");
      stack.emulator.dropbox.injectFault({ endpoint: "list_folder", kind: "rate_limited", retryAfterSeconds: 7 });
      const refreshesBefore = calls("token:refresh_token");
      const limited = await folders(user);
      expect(limited).toMatchObject({
        __typename: "ProviderUnavailableError",
        code: "PROVIDER_UNAVAILABLE",
        provider: "DROPBOX",
      });
      expect(expectTypename(limited, "ProviderUnavailableError").unavailableRetryAfterSeconds).toBe(7);
      expect(expectTypename(limited, "ProviderUnavailableError").message).toMatch(/rate limited/);
      expect(calls("token:refresh_token")).toBe(refreshesBefore);
      // The fault was one request: the next listing works.
      expect((await folderPage(user)).folders.map((f) => f.name)).toEqual(["Music"]);
      expect((await dropboxIntegration(stack, user)).status).toBe("CONNECTED");
    });

    it("refreshes once and retries after a 401, and the listing succeeds", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      stack.emulator.dropbox.createFolder(account, "/Music");
      const since = callsSince(stack.emulator.dropbox);
      stack.emulator.dropbox.injectFault({ endpoint: "list_folder", kind: "unauthorized" });

      const page = await folders(user);
      expect(page).toMatchObject({ __typename: "DropboxFolderPage", folders: [{ name: "Music", path: "/Music" }] });
      expect(since("token:refresh_token")).toBe(1);
      expect(since("list_folder")).toBe(2);
      const integration = await dropboxIntegration(stack, user);
      expect(integration).toMatchObject({ status: "CONNECTED", lastError: null });
      expect(integration.lastRefreshedAt).not.toBeNull();
    });

    it("gives up after a second 401 with ProviderUnavailableError, still CONNECTED and refreshed only once", async () => {
      const user = await signUpUser(stack.server);
      await connectFresh(user);
      const refreshesBefore = calls("token:refresh_token");
      stack.emulator.dropbox.injectFault({ endpoint: "list_folder", kind: "unauthorized", times: 2 });
      expect(await folders(user)).toMatchObject({ __typename: "ProviderUnavailableError", provider: "DROPBOX" });
      expect(calls("token:refresh_token")).toBe(refreshesBefore + 1);
      expect((await dropboxIntegration(stack, user)).status).toBe("CONNECTED");
    });

    it("asks for a reconnect when the user removed the app at Dropbox", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      stack.emulator.dropbox.revokeUserGrant(account);
      expect(await folders(user)).toMatchObject({ __typename: "ReconnectRequiredError", code: "RECONNECT_REQUIRED", provider: "DROPBOX" });
      expect((await dropboxIntegration(stack, user)).status).toBe("RECONNECT_REQUIRED");
    });

    it.each([
      ["a 500", "http500", /HTTP 500/],
      ["a malformed answer", "malformed", /malformed response/],
      ["no answer", "timeout", /timed out/],
    ] as const)("turns %s into ProviderUnavailableError and stays CONNECTED", async (_what, kind, message) => {
      const user = await signUpUser(stack.server);
      await connectFresh(user);
      const refreshesBefore = calls("token:refresh_token");
      stack.emulator.dropbox.injectFault({ endpoint: "list_folder", kind });
      const result = await folders(user);
      expect(result).toMatchObject({ __typename: "ProviderUnavailableError", provider: "DROPBOX" });
      expect(expectTypename(result, "ProviderUnavailableError").unavailableRetryAfterSeconds).toBeNull();
      expect(expectTypename(result, "ProviderUnavailableError").message).toMatch(message);
      expect(calls("token:refresh_token")).toBe(refreshesBefore);
      expect(await dropboxIntegration(stack, user)).toMatchObject({ status: "CONNECTED", lastError: null });
      expect((await folders(user)).__typename).toBe("DropboxFolderPage");
    });

    it("turns a failure on a later page into ProviderUnavailableError too", async () => {
      const user = await signUpUser(stack.server);
      const account = await connectFresh(user);
      for (const name of ["A", "B", "C"]) stack.emulator.dropbox.createFolder(account, `/${name}`);
      const first = await folderPage(user, { first: 2 });
      expect(first.hasMore).toBe(true);
      stack.emulator.dropbox.injectFault({ endpoint: "list_folder_continue", kind: "rate_limited", retryAfterSeconds: 3 });
      expect(expectTypename(await folders(user, { cursor: first.cursor }), "ProviderUnavailableError").unavailableRetryAfterSeconds).toBe(3);
      // The cursor is still good afterwards.
      const second = await folders(user, { cursor: first.cursor });
      expect(second).toMatchObject({ hasMore: false, folders: [{ name: "C" }] });
    });
  });
});
