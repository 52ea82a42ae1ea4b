/**
 * Districts an enterprise may name as its own when it records its profile. The api has no
 * jurisdiction catalogue yet (codes are free dotted paths, checked only for form); these are the
 * districts of the cities whose policies ship (policies/: Wuxi and Xiamen).
 */
export const DISTRICTS: { value: string; label: string }[] = [
  { value: 'js.wuxi.liangxi', label: '江苏省无锡市梁溪区' },
  { value: 'js.wuxi.xinwu', label: '江苏省无锡市新吴区' },
  { value: 'js.wuxi.binhu', label: '江苏省无锡市滨湖区' },
  { value: 'js.wuxi.huishan', label: '江苏省无锡市惠山区' },
  { value: 'js.wuxi.xishan', label: '江苏省无锡市锡山区' },
  { value: 'js.wuxi.jiangyin', label: '江苏省江阴市' },
  { value: 'js.wuxi.yixing', label: '江苏省宜兴市' },
  { value: 'fj.xiamen.siming', label: '福建省厦门市思明区' },
  { value: 'fj.xiamen.huli', label: '福建省厦门市湖里区' },
  { value: 'fj.xiamen.jimei', label: '福建省厦门市集美区' },
  { value: 'fj.xiamen.haicang', label: '福建省厦门市海沧区' },
  { value: 'fj.xiamen.tongan', label: '福建省厦门市同安区' },
  { value: 'fj.xiamen.xiangan', label: '福建省厦门市翔安区' },
  { value: 'fj.xiamen.torch', label: '福建省厦门市火炬高新区' },
];

export const districtName = (code: string) => DISTRICTS.find((d) => d.value === code)?.label ?? code;
