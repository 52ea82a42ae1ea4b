/**
 * Names of the jurisdictions the engine is run with (dotted codes, docs/console.md): the
 * province, cities, districts and parks of the source cases and the demo. An unknown code is
 * shown as it is.
 */
const NAMES: Record<string, string> = {
  js: '江苏省',
  'js.wuxi': '无锡市',
  'js.wuxi.xinwu': '新吴区',
  'js.wuxi.liangxi': '梁溪区',
  'js.wuxi.binhu': '滨湖区',
  'js.suzhou': '苏州市',
  'js.suzhou.sip': '苏州工业园区',
  'js.suzhou.wuzhong': '吴中区',
};

/** `js.wuxi.xinwu` → 新吴区 (the code itself when the catalogue lacks it). */
export function jurisdictionName(code: string | null | undefined): string {
  if (!code) return '';
  return NAMES[code] ?? code;
}

/** `js.wuxi.xinwu` → 无锡市新吴区: the city named before a district, for the header. */
export function jurisdictionFullName(code: string | null | undefined): string {
  if (!code) return '';
  const parts = code.split('.');
  const names = parts
    .map((_, i) => NAMES[parts.slice(0, i + 1).join('.')])
    .slice(1)
    .filter(Boolean);
  return names.length === parts.length - 1 && names.length > 0 ? names.join('') : code;
}
