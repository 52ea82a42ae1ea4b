// The console's initial JavaScript per role landing page stays under the 400 KB gzipped target
// (issue 18, docs/console.md): a person on a slow government network waits for every byte of it
// before their first screen. Builds the console with a manifest into a temporary directory
// (a couple of seconds with Vite 8) and sums each landing page's chunks as the browser loads them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { measureBuild, TARGET } = require('../../scripts/initial-js') as {
  measureBuild: () => { page: string; files: string[]; bytes: number }[];
  TARGET: number;
};

describe('web console initial JS', () => {
  let rows: { page: string; files: string[]; bytes: number }[];
  beforeAll(() => {
    rows = measureBuild();
  }, 120_000);

  it('is under 400 KB gzipped on every role landing page', () => {
    expect(rows.map((r) => r.page)).toEqual(
      expect.arrayContaining([
        'officer, worklist (/)',
        'auditor, search (/)',
        'expert, assignments (/)',
        'enterprise, home (/)',
      ]),
    );
    const over = rows
      .filter((r) => r.bytes >= TARGET)
      .map((r) => `${r.page}: ${(r.bytes / 1024).toFixed(1)} KB`);
    expect(over).toEqual([]);
  });

  it('keeps the screens a landing page does not show out of its chunks', () => {
    const auditor = rows.find((r) => r.page === 'auditor, search (/)')!;
    // The verification and as-of screens' date picker, and the other auditor screens, load when opened.
    expect(auditor.files.filter((f) => /date-picker|Verify|ApplicationAudit|RoundAudit/.test(f))).toEqual([]);
    const enterprise = rows.find((r) => r.page === 'enterprise, home (/)')!;
    expect(enterprise.files.filter((f) => /ApplicationPage|Memberships|upload/.test(f))).toEqual([]);
  });
});
