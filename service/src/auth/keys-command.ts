// The keys command's work, apart from opening the database (cli.ts), so tests run it on both backends.
import type { Database } from '../db/connection';
import { AppError } from '../errors';
import { KEY_CACHE_MS } from './middleware';
import { createApiKey, listKeys, revokeKey } from './keys';

export const USAGE = `Usage:
  npm run keys -- create <name>     make a key (printed once; only its hash is stored)
  npm run keys -- list              keys with their last characters, creation, last use, revocation
  npm run keys -- revoke <name|id>  revoke a key (the service stops accepting it within ${KEY_CACHE_MS / 1000} s)

Uses DATABASE_URL when set, otherwise the embedded database under DATA_DIR (stop the service first).`;

export async function runKeysCommand(args: string[], db: Database, out: (line: string) => void): Promise<void> {
  const [command, ...rest] = args;
  const name = rest.join(' ').trim();
  if (command === 'create' && name) {
    const { key, row } = await createApiKey(db.sql, name);
    out(`Created key ${row.id} "${row.name}". Copy it now; it cannot be shown again:`);
    out('');
    out(`  ${key}`);
    out('');
    out('Send it as "Authorization: Bearer <key>" (in the Excel add-in: Settings > API key).');
  } else if (command === 'list' && !name) {
    const keys = await listKeys(db.sql);
    if (keys.length === 0) out('No keys yet. Create one with: npm run keys -- create <name>');
    const when = (t: string | null) => (t === null ? '-' : new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'));
    for (const k of keys) {
      out(
        `${String(k.id).padStart(4)}  ${k.name.padEnd(24)}  …${k.suffix}  created ${when(k.created_at)}  last used ${when(k.last_used_at)}` +
          (k.revoked_at ? `  REVOKED ${when(k.revoked_at)}` : ''),
      );
    }
  } else if (command === 'revoke' && name) {
    const row = await revokeKey(db.sql, name);
    out(`Revoked key ${row.id} "${row.name}" (…${row.suffix}); running instances refuse it within ${KEY_CACHE_MS / 1000} s.`);
  } else {
    throw new AppError(400, 'usage', USAGE);
  }
}
