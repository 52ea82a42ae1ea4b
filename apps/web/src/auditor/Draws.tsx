import { Alert, Button, Card, Descriptions, Tag } from 'antd';
import { useState } from 'react';
import { drawPanel, type PanelCandidate, type PanelRules } from './draw';
import type { AuditEvent } from './Timeline';
import { useAuditorWords } from './words';

const OK = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
const NOT_OK = { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' };

interface Draw {
  event: AuditEvent;
  kind: 'panel' | 'replacement';
  seed: string;
  rules: PanelRules;
  candidates: PanelCandidate[];
  excluded: string[];
  recorded: string[];
}

/** The draws an application's events recorded (the panel, then any replacement). */
export function drawsOf(events: readonly AuditEvent[]): Draw[] {
  const draws: Draw[] = [];
  for (const event of events) {
    const d = event.data as Record<string, unknown>;
    if (event.type === 'ExpertPanelDrawn')
      draws.push({
        event,
        kind: 'panel',
        seed: d.seed as string,
        rules: d.rules as PanelRules,
        candidates: d.candidates as PanelCandidate[],
        excluded: (d.excluded as string[]) ?? [],
        recorded: d.experts as string[],
      });
    if (event.type === 'ExpertReplaced')
      draws.push({
        event,
        kind: 'replacement',
        seed: d.seed as string,
        // The rules a replacement is drawn with (expert-review handlers): one expert, no composition.
        rules: { size: 1, minFinancial: 0, minTechnicalSharePercent: 0 },
        candidates: d.candidates as PanelCandidate[],
        excluded: [],
        recorded: [d.replacement as string],
      });
  }
  return draws;
}

/** Each recorded draw with its seed and inputs, recomputed in the page with the engine's function. */
export function Draws({ events }: { events: readonly AuditEvent[] }) {
  const a = useAuditorWords();
  const draws = drawsOf(events);
  return (
    <Card
      size="small"
      title={<h2 style={{ fontSize: 14, margin: 0 }}>{a('draws')}</h2>}
      style={{ marginBottom: 16 }}
    >
      <p style={{ color: '#595959', marginTop: 0 }}>{a('drawsHint')}</p>
      {draws.length === 0 ? a('noDraw') : draws.map((d) => <OneDraw key={d.event.position} draw={d} />)}
    </Card>
  );
}

function OneDraw({ draw }: { draw: Draw }) {
  const a = useAuditorWords();
  const [result, setResult] = useState<string[] | { error: string }>();
  const title = `${draw.kind === 'panel' ? a('panelDraw') : a('replacement')}（${a('revision')} ${draw.event.revision}）`;
  function recompute() {
    try {
      setResult(drawPanel(draw.candidates, draw.rules, draw.seed));
    } catch (error) {
      setResult({ error: (error as Error).message });
    }
  }
  const same = Array.isArray(result) && result.join(',') === draw.recorded.join(',');
  return (
    <section aria-label={title} style={{ marginBottom: 16 }}>
      <h3 style={{ fontSize: 14 }}>{title}</h3>
      <Descriptions size="small" bordered column={1}>
        <Descriptions.Item label={a('seed')}>
          <code>{draw.seed}</code>
        </Descriptions.Item>
        <Descriptions.Item label={a('rules')}>
          {a('ruleText', {
            size: draw.rules.size,
            fin: draw.rules.minFinancial,
            tech: draw.rules.minTechnicalSharePercent,
          })}
        </Descriptions.Item>
        <Descriptions.Item label={`${a('candidates')}（${draw.candidates.length}）`}>
          {draw.candidates.map((c) => (c.financial ? `${c.id}（${a('financial')}）` : c.id)).join('、')}
        </Descriptions.Item>
        {draw.excluded.length > 0 && (
          <Descriptions.Item label={a('excluded')}>{draw.excluded.join('、')}</Descriptions.Item>
        )}
        <Descriptions.Item label={a('recorded')}>
          <output aria-label={`${title} ${a('recorded')}`}>{draw.recorded.join('、')}</output>
        </Descriptions.Item>
        {result && (
          <Descriptions.Item label={a('recomputed')}>
            <output aria-label={`${title} ${a('recomputed')}`}>
              {Array.isArray(result) ? result.join('、') : result.error}
            </output>{' '}
            <Tag style={same ? OK : NOT_OK}>{same ? a('match') : a('mismatch')}</Tag>
          </Descriptions.Item>
        )}
      </Descriptions>
      {!result && (
        <Button style={{ marginTop: 8 }} onClick={recompute}>
          {a('recompute')}
        </Button>
      )}
      {result && !same && <Alert type="error" title={a('mismatch')} style={{ marginTop: 8 }} />}
    </section>
  );
}
