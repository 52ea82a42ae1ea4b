import { type EngineDriver, officerOf } from './engine-driver';

/** The Weihai high-tech zone's page: 5.95 million yuan of central SME development funds. */
export const WEIHAI_FUND = {
  name: '中央财政中小企业发展专项资金（威海高新区 专精特新）',
  budget: 5_950_000,
  source: '中央财政中小企业发展专项资金',
  jurisdiction: 'sd.weihai.gaoqu',
  // The page gives no year; the demo's Weihai round runs in 2026.
  year: 2026,
  programmes: ['little-giant'],
} as const;

/** The page gives the two little giants' 4.15 million as one figure: split evenly here. */
const PER_GIANT = 2_075_000;
const PLATFORM = { name: '威海高新区中小企业公共服务示范平台', amount: 1_800_000 };

const yuan = (n: number) => `${(n / 10_000).toLocaleString('en-US')}万元`;

/**
 * After the demo's Weihai little giants are admitted: the zone's bureau establishes the fund,
 * allocates 4.15 million to the two key little giants and 1.80 million to one public service
 * demonstration platform, and a further allocation is refused (FUND_BUDGET_EXCEEDED). Returns
 * the lines it prints.
 */
export async function weihaiAllocation(d: EngineDriver, print = console.log): Promise<string[]> {
  const zone = officerOf(WEIHAI_FUND.jurisdiction);
  const giants = (await d.memberships(
    `?programme=little-giant&status=active&jurisdiction=${WEIHAI_FUND.jurisdiction}`,
  )) as {
    id: string;
    creditCode: string;
  }[];
  if (giants.length !== 2) throw new Error(`Weihai: expected 2 little giants, found ${giants.length}`);
  const fund = await d.expect(201, 'POST', '/v1/funds', { as: zone, body: WEIHAI_FUND });
  const allocate = (recipient: object, amount: number, purpose: string) =>
    d.expect(201, 'POST', `/v1/funds/${fund.id}/allocations`, {
      as: zone,
      body: { recipient, amount, purpose },
    });
  for (const g of giants) await allocate({ membershipId: g.id }, PER_GIANT, '专精特新"小巨人"企业奖补');
  await allocate({ platform: PLATFORM.name }, PLATFORM.amount, '中小企业公共服务示范平台奖补');
  const refused = await d.expect(422, 'POST', `/v1/funds/${fund.id}/allocations`, {
    as: zone,
    body: { recipient: { platform: PLATFORM.name }, amount: 1, purpose: '追加' },
  });
  const after = await d.expect(200, 'GET', `/v1/funds/${fund.id}`, { as: zone });
  const toGiants = after.allocations
    .filter((a: { recipient: { kind: string } }) => a.recipient.kind === 'membership')
    .reduce((n: number, a: { amount: number }) => n + a.amount, 0);
  const toPlatforms = after.allocated - toGiants;
  const lines = [
    `威海高新区 ${after.source} ${yuan(after.budget)} = ${yuan(toGiants)} (${giants.length} key little giants) + ${yuan(toPlatforms)} (1 platform); remaining ${yuan(after.remaining)}`,
    ...after.allocations.map(
      (a: { recipient: { kind: string; creditCode?: string; name?: string }; amount: number }) =>
        `  ${a.recipient.kind === 'membership' ? `little giant ${a.recipient.creditCode}` : a.recipient.name}: ${yuan(a.amount)}`,
    ),
    `  a further 1 yuan: ${refused.code}`,
  ];
  for (const line of lines) print(line);
  return lines;
}
