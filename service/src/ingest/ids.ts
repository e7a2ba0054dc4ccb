// Store and product ids that differ only in upper/lower case or spaces ("Store 1", "store 1", "Store  1"). They are
// kept as different ids (a file may mean them so), but a buyer should hear that they may be one store or product.
import { plural } from './cells';

const SHOWN_GROUPS = 3;

/** What look-alike ids share: the id in lower case without any spaces. */
export function lookAlikeKey(id: string): string {
  return id.toLowerCase().replace(/\s+/g, '');
}

/** Groups of two or more different ids with the same key, each in order of first appearance. */
export function lookAlikeIds(ids: Iterable<string>): string[][] {
  const byKey = new Map<string, string[]>();
  for (const id of ids) {
    const key = lookAlikeKey(id);
    const group = byKey.get(key);
    if (!group) byKey.set(key, [id]);
    else if (!group.includes(id)) group.push(id);
  }
  return [...byKey.values()].filter((g) => g.length > 1);
}

/**
 * Groups that pair ids of an upload with look-alike ids stored before and not in the upload (groups within the upload
 * alone are the parse's warning).
 */
export function lookAlikeStored(uploaded: ReadonlySet<string>, stored: Iterable<string>): string[][] {
  const keys = new Set([...uploaded].map(lookAlikeKey));
  const others = [...stored].filter((id) => !uploaded.has(id) && keys.has(lookAlikeKey(id)));
  if (others.length === 0) return [];
  const otherKeys = new Set(others.map(lookAlikeKey));
  return lookAlikeIds([...[...uploaded].filter((id) => otherKeys.has(lookAlikeKey(id))), ...others]);
}

/**
 * The warning for look-alike ids, or null when there are none. `stored`: the groups pair ids of this file with ids
 * already stored.
 */
export function lookAlikeWarning(what: 'store' | 'product', groups: string[][], stored = false): string | null {
  if (groups.length === 0) return null;
  const shown = groups.slice(0, SHOWN_GROUPS).map((g) => g.map((id) => JSON.stringify(id)).join(', '));
  const more = groups.length > SHOWN_GROUPS ? ` and ${plural(groups.length - SHOWN_GROUPS, 'more group')}` : '';
  const where = stored ? ` in this file and already stored` : '';
  return (
    `Some ${what} ids${where} differ only in upper/lower case or spaces: ${shown.join('; ')}${more}. ` +
    `They were kept as different ${what}s, but they may be the same ${what}: if so, ${
      stored
        ? 'undo this upload (DELETE /uploads/{upload_id}), write it as it was stored before and upload the file again.'
        : 'write it one way throughout the file and upload the file again.'
    }`
  );
}
