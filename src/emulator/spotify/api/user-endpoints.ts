import { currentUserJson } from "../accounts.js";
import type { CatalogPlaylist } from "../catalog/model.js";
import type { SpotifyApiEndpoint, UserApiContext } from "./dispatch.js";
import { pageRequest, pagingObject } from "./paging.js";

const MY_PLAYLIST_PAGES = { defaultLimit: 20, maxLimit: 50, maxOffset: 100_000 };

/**
 * GET /v1/me/playlists: owned and followed playlists. As on Spotify, private ones need
 * playlist-read-private and collaborative ones playlist-read-collaborative.
 */
function myPlaylists(ctx: UserApiContext) {
  const scopes = ctx.token.scopes;
  const visible = (list: CatalogPlaylist) =>
    list.collaborative
      ? scopes.includes("playlist-read-collaborative")
      : list.public || scopes.includes("playlist-read-private");
  const lists = ctx.emu.catalog.library(ctx.account.id).filter(visible);
  const link = new URL("/v1/me/playlists", ctx.url.origin);
  const page = pageRequest(ctx.url.searchParams, MY_PLAYLIST_PAGES);
  return pagingObject(link, lists, page, (list) => ctx.json.simplifiedPlaylist(list));
}

export const userEndpoints: SpotifyApiEndpoint[] = [
  {
    path: "/v1/me",
    key: "me",
    userOnly: true,
    handle: (ctx) => currentUserJson(ctx.url.origin, ctx.account, ctx.token.scopes),
  },
  { path: "/v1/me/playlists", key: "my_playlists", userOnly: true, handle: myPlaylists },
];
