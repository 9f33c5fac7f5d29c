import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { credentials } from '../db/schema';
import type { SecretBox } from './box';
import { writeKeyCheck } from './open-secret-box';
import { credentialAad } from './store';

/** Re-encrypts every credential and the key check under newBox in one transaction: all or nothing. */
export function rotateSecrets(db: Db, oldBox: SecretBox, newBox: SecretBox): number {
  return db.transaction((tx) => {
    const rows = tx.select().from(credentials).all();
    for (const row of rows) {
      const aad = credentialAad(row.clusterId, row.path);
      const plain = oldBox.open(row.ciphertext, aad);
      tx.update(credentials).set({ ciphertext: newBox.seal(plain, aad), keyId: newBox.keyId, updatedAt: Date.now() }).where(eq(credentials.id, row.id)).run();
      plain.fill(0);
    }
    writeKeyCheck(tx, newBox);
    return rows.length;
  }, { behavior: 'immediate' });
}
