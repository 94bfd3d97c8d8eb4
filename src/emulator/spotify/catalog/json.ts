import { publicUserJson } from "../accounts.js";
import { stableHex } from "./ids.js";
import type { Catalog, CatalogAlbum, CatalogArtist, CatalogPlaylist, CatalogTrack } from "./model.js";

type Json = Record<string, unknown>;

const ADDED_AT_BASE = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

/** Spotify's cover sizes and the marker its image ids carry for each. */
const IMAGE_SIZES: readonly [number, string][] = [
  [640, "b273"],
  [300, "1e02"],
  [64, "4851"],
];

/** Spotify's image CDN shape. The URLs look real but do not resolve: the emulator serves no images. */
function images(kind: string, id: string): Json[] {
  const hex = stableHex(`${kind}:${id}`, 24);
  return IMAGE_SIZES.map(([size, marker]) => ({
    url: `https://i.scdn.co/image/ab67616d0000${marker}${hex}`,
    height: size,
    width: size,
  }));
}

/**
 * Renders catalog objects in the Web API's JSON shapes. `base` is the origin the client
 * called, so every href points back at the emulator and can be followed.
 */
export class CatalogJson {
  constructor(
    private readonly base: string,
    private readonly catalog: Catalog,
  ) {}

  private common(type: string, id: string, path: string): Json {
    return {
      external_urls: { spotify: `https://open.spotify.com/${type}/${id}` },
      href: `${this.base}/v1/${path}/${id}`,
      id,
      type,
      uri: `spotify:${type}:${id}`,
    };
  }

  simplifiedArtist(artist: CatalogArtist): Json {
    return { ...this.common("artist", artist.id, "artists"), name: artist.name };
  }

  artist(artist: CatalogArtist): Json {
    return {
      ...this.simplifiedArtist(artist),
      followers: { href: null, total: artist.followers },
      genres: [...artist.genres],
      images: images("artist", artist.id),
      popularity: artist.popularity,
    };
  }

  album(album: CatalogAlbum): Json {
    return {
      album_type: "album",
      total_tracks: album.trackIds.length,
      ...this.common("album", album.id, "albums"),
      images: images("album", album.id),
      name: album.name,
      release_date: album.releaseDate,
      release_date_precision: "day",
      artists: this.artistsOf(album.artistIds),
    };
  }

  track(track: CatalogTrack): Json {
    const album = this.catalog.album(track.albumId);
    return {
      album: album ? this.album(album) : null,
      artists: this.artistsOf(track.artistIds),
      disc_number: 1,
      duration_ms: track.durationMs,
      explicit: track.explicit,
      external_ids: { isrc: track.isrc },
      ...this.common("track", track.id, "tracks"),
      is_local: false,
      name: track.name,
      popularity: track.popularity,
      preview_url: track.previewUrl,
      track_number: track.trackNumber,
    };
  }

  /** The simplified playlist of search results and /v1/me/playlists: tracks only as {href, total}. */
  simplifiedPlaylist(playlist: CatalogPlaylist): Json {
    return {
      collaborative: playlist.collaborative,
      description: playlist.description,
      ...this.common("playlist", playlist.id, "playlists"),
      images: playlist.trackIds.length === 0 ? [] : images("playlist", playlist.id),
      name: playlist.name,
      owner: publicUserJson(this.base, playlist.ownerId, playlist.ownerName),
      primary_color: null,
      public: playlist.public,
      snapshot_id: stableHex(`snapshot:${playlist.id}`, 32),
      tracks: { href: `${this.base}/v1/playlists/${playlist.id}/tracks`, total: playlist.trackIds.length },
    };
  }

  /** The full playlist of GET /v1/playlists/{id}; `tracks` is the first page of its items. */
  playlist(playlist: CatalogPlaylist, tracks: Json): Json {
    return { ...this.simplifiedPlaylist(playlist), followers: { href: null, total: playlist.followers }, tracks };
  }

  /** One playlist item: when and by whom the track was added, and the track. */
  playlistItem(playlist: CatalogPlaylist, position: number): Json {
    const track = this.catalog.track(playlist.trackIds[position] ?? "");
    return {
      added_at: new Date(ADDED_AT_BASE + position * DAY_MS).toISOString().replace(".000Z", "Z"),
      added_by: publicUserJson(this.base, playlist.ownerId, null),
      is_local: false,
      track: track ? this.track(track) : null,
    };
  }

  private artistsOf(ids: readonly string[]): Json[] {
    return ids.flatMap((id) => {
      const artist = this.catalog.artist(id);
      return artist ? [this.simplifiedArtist(artist)] : [];
    });
  }
}
