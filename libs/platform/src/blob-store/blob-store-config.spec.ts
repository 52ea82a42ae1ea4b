import { ConfigError, loadConfig } from '../config/config';
import { createBlobStore, diskBlobDirectory } from './blob-store.module';

describe('blob store configuration', () => {
  it('defaults to the disk store under DATA_DIR/blobs, 20 MiB per file and 200 MiB per application', () => {
    const config = loadConfig({ DATA_DIR: '/srv/data' });
    expect(config).toMatchObject({
      BLOB_STORE: 'disk',
      MATERIAL_MAX_FILE_BYTES: 20 * 1024 * 1024,
      MATERIAL_MAX_APPLICATION_BYTES: 200 * 1024 * 1024,
    });
    expect(diskBlobDirectory(config)).toBe('/srv/data/blobs');
    expect(createBlobStore(config).name).toBe('disk');
  });

  it('refuses PostgreSQL without its URL, and an application limit below the file limit', () => {
    expect(() => loadConfig({ BLOB_STORE: 'postgres' })).toThrow(ConfigError);
    expect(() => loadConfig({ BLOB_STORE: 'postgres' })).toThrow(
      /BLOB_STORE_URL is required when BLOB_STORE=postgres/,
    );
    expect(() =>
      loadConfig({ MATERIAL_MAX_FILE_BYTES: '5000', MATERIAL_MAX_APPLICATION_BYTES: '4000' }),
    ).toThrow(/MATERIAL_MAX_APPLICATION_BYTES must be at least MATERIAL_MAX_FILE_BYTES/);
  });

  it('opens the PostgreSQL store when asked', async () => {
    const store = createBlobStore(
      loadConfig({ BLOB_STORE: 'postgres', BLOB_STORE_URL: 'postgres://127.0.0.1:5432/x' }),
    );
    expect(store.name).toBe('postgres');
    await store.close();
  });
});
