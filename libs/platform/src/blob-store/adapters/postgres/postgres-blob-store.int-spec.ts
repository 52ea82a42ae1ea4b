import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { describeBlobStoreConformance } from '../../conformance/blob-store.conformance';
import { PostgresBlobStore } from './postgres-blob-store';

// CI starts PostgreSQL: when it is unreachable these tests fail, they never skip.
const url = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `blob_test_${randomBytes(6).toString('hex')}`;
const admin = new Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000 });

describeBlobStoreConformance<PostgresBlobStore>('postgres', {
  async open() {
    // Small chunks, so that every test spans several rows.
    return new PostgresBlobStore({ connectionString: url, schema, poolSize: 4, chunkBytes: 256 * 1024 });
  },
  async reset() {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  },
  async dispose() {
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  },
  async tamper(_store, digest) {
    await admin.query(
      `UPDATE "${schema}".blob_chunks SET data = set_byte(data, 0, (get_byte(data, 0) + 1) % 256)
        WHERE blob = $1 AND seq = 1`,
      [digest],
    );
  },
  partialUploads: (store) => store.partialUploads(),
  async backdate(_store, digest, at) {
    await admin.query(`UPDATE "${schema}".blobs SET stored_at = $2 WHERE digest = $1`, [digest, at]);
  },
});
