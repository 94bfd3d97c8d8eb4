/** The emulated Spotify catalog, as plain data; json.ts renders it in the Web API's shapes. */

export interface CatalogArtist {
  id: string;
  name: string;
  genres: string[];
  popularity: number;
  followers: number;
}

export interface CatalogAlbum {
  id: string;
  name: string;
  artistIds: string[];
  releaseDate: string;
  trackIds: string[];
}

export interface CatalogTrack {
  id: string;
  name: string;
  artistIds: string[];
  albumId: string;
  trackNumber: number;
  durationMs: number;
  explicit: boolean;
  popularity: number;
  /** Spotify no longer gives previews to new apps, so many are null; clients must cope. */
  previewUrl: string | null;
  isrc: string;
}

export interface CatalogPlaylist {
  id: string;
  name: string;
  description: string;
  ownerId: string;
  ownerName: string;
  public: boolean;
  collaborative: boolean;
  followers: number;
  trackIds: string[];
}

export class Catalog {
  private readonly artistById: Map<string, CatalogArtist>;
  private readonly albumById: Map<string, CatalogAlbum>;
  private readonly trackById: Map<string, CatalogTrack>;
  private readonly playlistById: Map<string, CatalogPlaylist>;

  constructor(
    readonly artists: readonly CatalogArtist[],
    readonly albums: readonly CatalogAlbum[],
    readonly tracks: readonly CatalogTrack[],
    readonly playlists: readonly CatalogPlaylist[],
    /** Per user id: the playlists they own or follow, in library order (GET /v1/me/playlists). */
    private readonly libraries: ReadonlyMap<string, readonly string[]>,
  ) {
    this.artistById = new Map(artists.map((artist) => [artist.id, artist]));
    this.albumById = new Map(albums.map((album) => [album.id, album]));
    this.trackById = new Map(tracks.map((track) => [track.id, track]));
    this.playlistById = new Map(playlists.map((playlist) => [playlist.id, playlist]));
  }

  artist(id: string): CatalogArtist | undefined {
    return this.artistById.get(id);
  }

  album(id: string): CatalogAlbum | undefined {
    return this.albumById.get(id);
  }

  track(id: string): CatalogTrack | undefined {
    return this.trackById.get(id);
  }

  playlist(id: string): CatalogPlaylist | undefined {
    return this.playlistById.get(id);
  }

  library(accountId: string): CatalogPlaylist[] {
    return (this.libraries.get(accountId) ?? []).flatMap((id) => this.playlistById.get(id) ?? []);
  }
}
