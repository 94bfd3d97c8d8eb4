import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { databaseModes } from "./support/database.js";
import { ALICE, callsSince, clientOf, completeConnect, connectDropbox, signUpUser, startDropboxStack, type DropboxStack, type TestUser } from "./support/dropbox.js";
import { expectTypename } from "./support/typed.js";
import { exported, postExport } from "./support/export.js";
import {
  DisconnectDropboxDocument,
  StartDropboxConnectDocument,
  type ExportToDropboxMutationVariables,
} from "./generated/graphql/graphql.js";

const LINK = (name: string) => new RegExp(`^https://www\\.dropbox\\.com/scl/fi/[0-9a-f]+/${encodeURIComponent(name)}\\?dl=0$`);

describe.each(databaseModes())("Dropbox export share links (%s database)", (mode) => {
  let stack: DropboxStack;
  let user: TestUser;

  beforeAll(async () => {
    stack = await startDropboxStack(mode);
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    stack.emulator.dropbox.clearFaults();
    user = await signUpUser(stack.server);
    stack.emulator.dropbox.setBrowserAccount(ALICE);
    expect((await connectDropbox(stack, user)).searchParams.get("dropbox")).toBe("connected");
  });
  afterEach(async () => {
    stack.emulator.dropbox.clearFaults();
    await clientOf(stack.server, user).request(DisconnectDropboxDocument);
  });

  /** The DropboxExport an upload answered with; every upload here reaches Dropbox. */
  async function upload(content: string, fileName: string, variables?: Omit<ExportToDropboxMutationVariables, "file">) {
    const res = await postExport(stack.server.graphqlUrl, user.token, { bytes: content, name: fileName }, variables);
    const result = expectTypename(exported(res), "DropboxExport");
    if (!result.finalPath) throw new Error(`exportToDropbox answered ${res.text}`);
    return { ...result, finalPath: result.finalPath };
  }

  const record = (id: string) => stack.server.server.database.prisma.dropboxExport.findUniqueOrThrow({ where: { id } });
  const linksTo = (path: string) => stack.emulator.dropbox.listSharedLinks(ALICE).filter((l) => l.pathLower === path.toLowerCase());

  it("makes no link and no sharing call unless asked", async () => {
    const calls = callsSince(stack.emulator.dropbox);
    const exported = await upload("round 1", "no-link.pdf");
    expect(exported).toMatchObject({ status: "COMPLETED", shareUrl: null, errorMessage: null });
    expect(calls("create_shared_link_with_settings")).toBe(0);
    expect(calls("list_shared_links")).toBe(0);
    expect(linksTo(exported.finalPath)).toEqual([]);
    expect((await record(exported.id)).shareUrl).toBeNull();

    const refused = await upload("round 1", "no-link-either.pdf", { shareLink: false });
    expect(refused.shareUrl).toBeNull();
    expect(calls("create_shared_link_with_settings")).toBe(0);
  });

  it("creates a public view-only link when asked, stores it and returns it", async () => {
    const calls = callsSince(stack.emulator.dropbox);
    const exported = await upload("round 2", "Round 2.pdf", { shareLink: true });
    expect(exported).toMatchObject({ status: "COMPLETED", errorCode: null, errorMessage: null });
    expect(exported.shareUrl).toMatch(LINK("Round 2.pdf"));
    expect((await record(exported.id)).shareUrl).toBe(exported.shareUrl);
    expect(linksTo(exported.finalPath)).toEqual([expect.objectContaining({ url: exported.shareUrl, audience: "public", access: "viewer" })]);
    expect(calls("create_shared_link_with_settings")).toBe(1);
    expect(calls("list_shared_links")).toBe(0);
  });

  it("reuses the link a file already has when the same path is exported again with OVERWRITE", async () => {
    const first = await upload("v1", "sheet.pdf", { shareLink: true, conflict: "OVERWRITE" });
    const calls = callsSince(stack.emulator.dropbox);
    const second = await upload("v2", "sheet.pdf", { shareLink: true, conflict: "OVERWRITE" });
    expect(second.finalPath).toBe(first.finalPath);
    expect(second).toMatchObject({ status: "COMPLETED", shareUrl: first.shareUrl, errorMessage: null });
    expect((await record(second.id)).shareUrl).toBe(first.shareUrl);
    // Dropbox answered shared_link_already_exists with the link's metadata: no lookup needed.
    expect(calls("create_shared_link_with_settings")).toBe(1);
    expect(calls("list_shared_links")).toBe(0);
    expect(linksTo(first.finalPath)).toHaveLength(1);
  });

  it("looks up an existing link with other settings and returns it as it is", async () => {
    const plain = await upload("v1", "shared-by-hand.pdf", { conflict: "OVERWRITE" });
    const byHand = stack.emulator.dropbox.createSharedLink(ALICE, plain.finalPath, "no_one");
    const calls = callsSince(stack.emulator.dropbox);
    const exported = await upload("v2", "shared-by-hand.pdf", { shareLink: true, conflict: "OVERWRITE" });
    expect(exported).toMatchObject({ status: "COMPLETED", shareUrl: byHand.url, errorMessage: null });
    expect(calls("create_shared_link_with_settings")).toBe(1);
    expect(calls("list_shared_links")).toBe(1);
    // Never widened: the owner's restricted link stays restricted.
    expect(linksTo(plain.finalPath)).toEqual([expect.objectContaining({ url: byHand.url, audience: "no_one" })]);
  });

  it("completes the export without a link, with a note, when Dropbox fails to make one", async () => {
    stack.emulator.dropbox.injectFault({ endpoint: "create_shared_link_with_settings", kind: "http500" });
    const calls = callsSince(stack.emulator.dropbox);
    const exported = await upload("round 3", "unlucky.pdf", { shareLink: true });
    expect(exported).toMatchObject({
      status: "COMPLETED",
      shareUrl: null,
      errorCode: null,
      errorMessage: "Uploaded, but the share link could not be created",
    });
    expect(await record(exported.id)).toMatchObject({
      status: "COMPLETED",
      shareUrl: null,
      errorMessage: "Uploaded, but the share link could not be created",
    });
    expect(calls("create_shared_link_with_settings")).toBe(1);
    const file = stack.emulator.dropbox.listFiles(ALICE).find((f) => f.pathLower === exported.finalPath.toLowerCase());
    expect(Buffer.from(file!.contentBase64!, "base64").toString()).toBe("round 3");
    expect(linksTo(exported.finalPath)).toEqual([]);
  });

  it("asks the user to reconnect when their grant predates share links", async () => {
    // Connect again the way users did before the sharing scopes were asked for.
    const { startDropboxConnect } = await clientOf(stack.server, user).request(StartDropboxConnectDocument, {});
    const authorize = new URL(expectTypename(startDropboxConnect, "ConnectStart").authorizationUrl);
    const scopes = authorize.searchParams.get("scope")!.split(" ");
    authorize.searchParams.set("scope", scopes.filter((scope) => !scope.startsWith("sharing.")).join(" "));
    expect((await completeConnect(authorize.toString(), user)).searchParams.get("dropbox")).toBe("connected");

    const calls = callsSince(stack.emulator.dropbox);
    const exported = await upload("round 4", "old-grant.pdf", { shareLink: true });
    // missing_scope is a 401 that no fresh token cures: one sharing call, no refresh.
    expect(calls("create_shared_link_with_settings")).toBe(1);
    expect(calls("token:refresh_token")).toBe(0);
    expect(exported).toMatchObject({
      status: "COMPLETED",
      shareUrl: null,
      errorMessage: "Uploaded, but the share link could not be created: reconnect Dropbox to allow share links",
    });
    expect(linksTo(exported.finalPath)).toEqual([]);
  });
});
