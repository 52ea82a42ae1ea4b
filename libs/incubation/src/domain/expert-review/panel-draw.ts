import { sha256 } from '@noble/hashes/sha2.js';
import { ruleViolated } from '../shared/domain-error';

/**
 * The random draw of an expert panel, reproducible by an auditor from what the event records:
 * the candidates (every eligible expert, sorted by id, with their field), the seed and the
 * rules. The random stream is SHA-256 of `<seed>:<counter>`, read 32 bits at a time; the
 * candidates are shuffled with Fisher-Yates; the first `minFinancial` financial experts of
 * the shuffled order are taken, then the rest of the panel in shuffled order.
 *
 * Pure and platform-free (SHA-256 from @noble/hashes, bytes as Uint8Array, no Node built-ins):
 * the auditor's console imports this very file to recompute a draw in the browser.
 */
export interface PanelCandidate {
  id: string;
  financial: boolean;
}

export interface PanelRules {
  size: number;
  minFinancial: number;
  /** Percent of the panel that must be technical (not financial). */
  minTechnicalSharePercent: number;
}

export function seededRandom(seed: string): () => number {
  const encoder = new TextEncoder();
  let counter = 0;
  let buffer = new Uint8Array(0);
  return () => {
    if (buffer.length < 4) {
      buffer = sha256(encoder.encode(`${seed}:${counter++}`));
    }
    const value = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0, false);
    buffer = buffer.subarray(4);
    return value / 2 ** 32;
  };
}

export function shuffle<T>(items: readonly T[], seed: string): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Draws `rules.size` experts. @throws a rule violation when the candidates cannot satisfy the rules. */
export function drawPanel(candidates: readonly PanelCandidate[], rules: PanelRules, seed: string): string[] {
  const sorted = [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const order = shuffle(sorted, seed);
  const financial = order.filter((c) => c.financial).slice(0, rules.minFinancial);
  if (financial.length < rules.minFinancial || sorted.length < rules.size) {
    throw ruleViolated(
      'EXPERT_POOL_TOO_SMALL',
      `the pool has ${sorted.length} eligible experts (${order.filter((c) => c.financial).length} financial); the panel needs ${rules.size} with at least ${rules.minFinancial} financial`,
    );
  }
  const chosen = new Set(financial.map((c) => c.id));
  const maxFinancial = rules.size - Math.ceil((rules.size * rules.minTechnicalSharePercent) / 100);
  let financialCount = financial.length;
  for (const candidate of order) {
    if (chosen.size >= rules.size) break;
    if (chosen.has(candidate.id)) continue;
    if (candidate.financial && financialCount >= maxFinancial) continue;
    chosen.add(candidate.id);
    if (candidate.financial) financialCount++;
  }
  if (chosen.size < rules.size) {
    throw ruleViolated(
      'EXPERT_POOL_TOO_SMALL',
      `the pool has too few technical experts for a panel of ${rules.size} with ${rules.minTechnicalSharePercent}% technical`,
    );
  }
  return order.filter((c) => chosen.has(c.id)).map((c) => c.id);
}
