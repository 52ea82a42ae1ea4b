import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALLER_KINDS, PERMISSION_MATRIX, routeKey } from './permission-matrix';
import { PERMISSIONS_DOC, renderPermissionsDoc } from './permissions-doc';

describe('permission matrix', () => {
  it('is the source of the committed docs/permissions.md (run `npm run docs:permissions` when this fails)', () => {
    const committed = readFileSync(join(__dirname, '../../../..', PERMISSIONS_DOC), 'utf8');
    expect(committed).toBe(renderPermissionsDoc());
  });

  it('has one row per route, a status for every kind of caller, and 401 for anonymous callers of non-public routes', () => {
    const keys = PERMISSION_MATRIX.map(routeKey);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    for (const row of PERMISSION_MATRIX) {
      expect(Object.keys(row.expect).sort()).toEqual([...CALLER_KINDS].sort());
      const anyoneWithToken = CALLER_KINDS.filter((k) => k !== 'anonymous').some((k) => row.expect[k] < 300);
      if (row.expect.anonymous !== 200) expect([row.path, row.expect.anonymous]).toEqual([row.path, 401]);
      expect([row.path, anyoneWithToken || row.expect.anonymous < 300]).toEqual([row.path, true]);
    }
  });
});
