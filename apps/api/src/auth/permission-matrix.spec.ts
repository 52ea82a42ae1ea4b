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
    // Public routes (no token needed) may still answer an anonymous caller 404 when the
    // resource is not public yet (a round's list before its publicity).
    const isPublic = (row: (typeof PERMISSION_MATRIX)[number]) => row.expect.anonymous !== 401;
    const keys = PERMISSION_MATRIX.map(routeKey);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    for (const row of PERMISSION_MATRIX) {
      expect(Object.keys(row.expect).sort()).toEqual([...CALLER_KINDS].sort());
      // Someone may call it: a success, or 409 (allowed, refused only by the resource's state).
      const anyoneWithToken = CALLER_KINDS.filter((k) => k !== 'anonymous').some(
        (k) => row.expect[k] < 300 || row.expect[k] === 409,
      );
      if (isPublic(row))
        expect([row.path, [200, 201, 202, 204, 404].includes(row.expect.anonymous)]).toEqual([
          row.path,
          true,
        ]);
      expect([row.path, anyoneWithToken || row.expect.anonymous < 300]).toEqual([row.path, true]);
    }
  });
});
