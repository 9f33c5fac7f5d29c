import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { dbFile, openDb } from '../db/client';
import { EnvError, loadEnv } from '../env';
import { createSecretBox } from './box';
import { parseSecretKey, SECRET_KEY_HINT } from './key-format';
import { writeKeyFile } from './key-source';
import { openSecretBox } from './open-secret-box';
import { rotateSecrets } from './rotate';

const USAGE = `usage: npx tsx server/secrets/rotate-key.ts --new-key-file PATH
Re-encrypts every stored secret of KUBEXMS_DATA_DIR with the key in PATH (create one: openssl rand -base64 32 > PATH).
Stop the server first. The current key comes from KUBEXMS_SECRET_KEY or the data dir's secret.key, as at start.`;

function main(): void {
  const { values } = parseArgs({ options: { 'new-key-file': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help || !values['new-key-file']) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const newKey = parseSecretKey(fs.readFileSync(values['new-key-file'], 'utf8'));
  if (!newKey) throw new EnvError(`${values['new-key-file']}: the key ${SECRET_KEY_HINT}`);
  const env = loadEnv();
  const db = openDb(dbFile(env.dataDir));
  try {
    const { box: oldBox, source } = openSecretBox(db, env);
    const newBox = createSecretBox(newKey);
    if (newBox.keyId === oldBox.keyId) throw new EnvError('the new key is the current key; nothing to do');
    const staged = `${source.file}.new`;
    // The new key is on disk before the commit, so a crash between the two never loses it.
    if (source.from === 'file') {
      fs.rmSync(staged, { force: true });
      writeKeyFile(staged, newKey);
    }
    const n = rotateSecrets(db, oldBox, newBox);
    if (source.from === 'file') {
      fs.renameSync(staged, source.file);
      console.log(`re-encrypted ${n} secret(s); ${source.file} now holds the new key`);
    } else {
      console.log(`re-encrypted ${n} secret(s); set KUBEXMS_SECRET_KEY to the new key (from ${values['new-key-file']}) before the next start`);
    }
  } finally {
    db.$client.close();
  }
}

try {
  main();
} catch (err) {
  console.error(`kubexms rotate-key: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
