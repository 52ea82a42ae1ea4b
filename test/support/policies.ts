import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SHIPPED = join(__dirname, '..', '..', 'policies');

/**
 * The shipped policies plus a second city's eaglet version, for suites that need rounds of two
 * cities side by side. Policies belong to their issuing jurisdiction (docs/policies.md), so a
 * Suzhou round needs a Suzhou version: this one is the Wuxi file re-issued for `js.suzhou`, a
 * test fixture, not a transcription of Suzhou's real rules.
 */
export function policiesWithSecondCity(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'policies-'));
  cpSync(SHIPPED, dir, { recursive: true });
  const wuxi = readFileSync(join(SHIPPED, 'eaglet', 'wuxi-2024.yaml'), 'utf8');
  const suzhou = wuxi
    .replace(/^id: eaglet\/wuxi-2024$/m, 'id: eaglet/suzhou-test')
    .replace(/^jurisdiction: js\.wuxi$/m, 'jurisdiction: js.suzhou')
    .replace(/^ {2}zh: 无锡市科学技术局$/m, '  zh: 苏州市科学技术局')
    .replace(
      /^ {2}en: Wuxi Municipal Science and Technology Bureau$/m,
      '  en: Suzhou Municipal Science and Technology Bureau',
    )
    .replace(/^documentNumber: .*$/m, 'documentNumber: null');
  writeFileSync(join(dir, 'eaglet', 'suzhou-test.yaml'), suzhou);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
