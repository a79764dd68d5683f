import { RESERVED_SERVER_IDS } from '../../shared/server-dto.js';

/** Ids stay short enough to read in a URL path. */
const MAX_SLUG_LENGTH = 40;

/**
 * A server's name as an id for URLs (`/manager/servers/{id}/…`): lower-case letters, digits and hyphens, accents
 * dropped (`Édge Box #2` → `edge-box-2`). A name with none of those (`边缘网关`) becomes `server`.
 */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug === '' ? 'server' : slug;
}

/**
 * The id for a new server: its name's slug, made unique with `-2`, `-3`…, never one the host keeps for itself
 * (`local`, `check`). Given once: renaming a server keeps its id, so scripts and the window's links keep working.
 */
export function uniqueServerId(name: string, taken: (id: string) => boolean): string {
  const base = slugOf(name);
  const free = (id: string) => !taken(id) && !RESERVED_SERVER_IDS.includes(id);
  if (free(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (free(id)) return id;
  }
}
