import { createHash } from 'node:crypto';
import { drawPanel, seededRandom, shuffle } from './panel-draw';

/** The random stream as first written with Node's crypto: recorded draws must replay unchanged. */
function nodeRandom(seed: string): () => number {
  let counter = 0;
  let buffer = Buffer.alloc(0);
  return () => {
    if (buffer.length < 4) buffer = createHash('sha256').update(`${seed}:${counter++}`).digest();
    const value = buffer.readUInt32BE(0);
    buffer = buffer.subarray(4);
    return value / 2 ** 32;
  };
}

describe('panel draw (pure, shared with the auditor console)', () => {
  it('reads the same random stream as the Node crypto version, across block boundaries', () => {
    for (const seed of ['0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'ab', '抽取']) {
      const ours = seededRandom(seed);
      const reference = nodeRandom(seed);
      for (let i = 0; i < 40; i++) expect(ours()).toBe(reference());
    }
  });

  it('draws the same panel from the same seed and candidates, whatever their input order', () => {
    const candidates = Array.from({ length: 20 }, (_, i) => ({
      id: `expert-${String(i).padStart(2, '0')}`,
      financial: i % 4 === 0,
    }));
    const rules = { size: 5, minFinancial: 1, minTechnicalSharePercent: 60 };
    const seed = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    const panel = drawPanel(candidates, rules, seed);
    expect(drawPanel([...candidates].reverse(), rules, seed)).toEqual(panel);
    expect(panel).toHaveLength(5);
    expect(panel.filter((id) => Number(id.slice(-2)) % 4 === 0).length).toBeGreaterThanOrEqual(1);
    expect(panel.filter((id) => Number(id.slice(-2)) % 4 === 0).length).toBeLessThanOrEqual(2);
    expect(drawPanel(candidates, rules, 'another seed')).not.toEqual(panel);
  });

  it('shuffles as Fisher-Yates over the recorded stream', () => {
    const random = nodeRandom('s');
    const expected = ['a', 'b', 'c', 'd', 'e'];
    for (let i = expected.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [expected[i], expected[j]] = [expected[j], expected[i]];
    }
    expect(shuffle(['a', 'b', 'c', 'd', 'e'], 's')).toEqual(expected);
  });
});
