import {
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Progress,
  Result,
  Space,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { type AuditorWord, useAuditorWords } from './words';

interface VerifyResult {
  ok: boolean;
  streams: number;
  events: number;
  firstBreak?: { stream: string; revision: number; reason?: string };
  materials: {
    ok: boolean;
    materials: number;
    files: number;
    problems: { applicationId: string; materialId: string; kind: string; problem: 'missing' | 'altered' }[];
    evidenceProblems: {
      objectionId: string;
      applicationId: string;
      fileName: string;
      problem: 'missing' | 'altered';
    }[];
  };
}

type ProgressLine =
  { phase: 'chains' | 'materials'; done: number; total: number } | { phase: 'done'; result: VerifyResult };

const H2 = { fontSize: 14, margin: 0 } as const;

/** The lines of an NDJSON answer, as they arrive. */
async function* ndjson<T>(response: Response): AsyncGenerator<T> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
}

/** The day's first instant in China (UTC+8), as the api takes instants. */
const chinaMidnight = (day: Dayjs) => `${day.format('YYYY-MM-DD')}T00:00:00+08:00`;

/**
 * Verify the whole record (GET /v1/audit/verify/progress recomputes every chain, then every
 * material file's digest, and says how far it got as it goes: a progress bar per phase), and
 * download the export bundle (GET /v1/audit/export) with the steps of its offline check.
 */
export function Verify() {
  const a = useAuditorWords();
  const [running, setRunning] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<VerifyResult>();
  /** The last progress line of each phase: both bars stay after the check, at what it covered. */
  const [progress, setProgress] = useState<
    Partial<Record<'chains' | 'materials', { done: number; total: number }>>
  >({});
  const [failed, setFailed] = useState(false);
  const [from, setFrom] = useState<Dayjs | null>(null);
  const [to, setTo] = useState<Dayjs | null>(null);
  const [withoutFiles, setWithoutFiles] = useState(false);
  const started = useRef(0);

  const exportQuery = new URLSearchParams({
    ...(from ? { from: chinaMidnight(from) } : {}),
    ...(to ? { to: chinaMidnight(to.add(1, 'day')) } : {}),
    ...(withoutFiles ? { withoutFiles: 'true' } : {}),
  }).toString();
  const exportHref = `/v1/audit/export${exportQuery ? `?${exportQuery}` : ''}`;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setElapsed((Date.now() - started.current) / 1000), 200);
    return () => clearInterval(timer);
  }, [running]);

  async function verify() {
    setResult(undefined);
    setProgress({});
    setFailed(false);
    started.current = Date.now();
    setElapsed(0);
    setRunning(true);
    try {
      const res = await fetch('/v1/audit/verify/progress', { credentials: 'same-origin' });
      if (!res.ok || !res.body) throw new Error(`verify: ${res.status}`);
      let finished = false;
      for await (const line of ndjson<ProgressLine>(res)) {
        if (line.phase === 'done') {
          setResult(line.result);
          finished = true;
        } else {
          const { phase, done, total } = line;
          setProgress((before) => ({ ...before, [phase]: { done, total } }));
        }
      }
      if (!finished) setFailed(true);
    } catch {
      setFailed(true);
    } finally {
      setElapsed((Date.now() - started.current) / 1000);
      setRunning(false);
    }
  }

  function downloadReport() {
    const blob = new Blob([JSON.stringify({ verifiedAt: new Date().toISOString(), ...result }, null, 2)], {
      type: 'application/json',
    });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `verify-report-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '')}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  return (
    <>
      <h1 style={{ fontSize: 20 }}>{a('verify')}</h1>
      <Card size="small" title={<h2 style={H2}>{a('verifyAll')}</h2>} style={{ marginBottom: 16 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Button type="primary" onClick={verify} loading={running}>
            {a('verifyAll')}
          </Button>
          {(running || result) && (
            <div role="status">
              {(['chains', 'materials'] as const).map((phase) => {
                const p = progress[phase];
                const label = a(phase === 'chains' ? 'chainsPhase' : 'materialsPhase', {
                  done: p?.done ?? 0,
                  total: p?.total ?? '…',
                });
                return (
                  <div key={phase}>
                    <div>{label}</div>
                    <Progress
                      percent={p ? (p.total > 0 ? Math.floor((p.done * 100) / p.total) : 100) : 0}
                      status={running && p && p.done < p.total ? 'active' : undefined}
                      aria-label={label}
                    />
                  </div>
                );
              })}
              {running && (
                <div>
                  {a('verifying')} {a('elapsed')} {elapsed.toFixed(1)} {a('seconds')}
                </div>
              )}
            </div>
          )}
          {failed && <Result status="warning" title={a('verifyFailed')} style={{ padding: 16 }} />}
          {result && (
            <>
              <Result
                status={result.ok ? 'success' : 'error'}
                title={result.ok ? a('intact') : a('broken')}
                subTitle={`${a('elapsed')} ${elapsed.toFixed(1)} ${a('seconds')}`}
                style={{ padding: 16 }}
              />
              <Descriptions size="small" bordered column={1}>
                <Descriptions.Item label={a('streams')}>{result.streams}</Descriptions.Item>
                <Descriptions.Item label={a('events')}>{result.events}</Descriptions.Item>
                <Descriptions.Item label={a('materialsChecked')}>
                  {result.materials.files}/{result.materials.materials}
                </Descriptions.Item>
                {result.firstBreak && (
                  <Descriptions.Item label={a('firstBreak')}>
                    <output aria-label={a('firstBreak')}>
                      {a('breakAt', {
                        stream: result.firstBreak.stream,
                        revision: result.firstBreak.revision,
                      })}
                      {result.firstBreak.reason ? `（${a(result.firstBreak.reason as AuditorWord)}）` : ''}
                    </output>
                  </Descriptions.Item>
                )}
                {result.materials.problems.length > 0 && (
                  <Descriptions.Item label={a('materialProblem')}>
                    {result.materials.problems.map((p) => (
                      <div key={p.materialId}>
                        {p.applicationId} · {p.kind} · {p.problem === 'missing' ? a('missing') : a('altered')}
                      </div>
                    ))}
                  </Descriptions.Item>
                )}
                {result.materials.evidenceProblems.length > 0 && (
                  <Descriptions.Item label={a('evidenceProblem')}>
                    {result.materials.evidenceProblems.map((p) => (
                      <div key={`${p.objectionId}:${p.fileName}`}>
                        {p.applicationId} · {p.fileName} ·{' '}
                        {p.problem === 'missing' ? a('missing') : a('altered')}
                      </div>
                    ))}
                  </Descriptions.Item>
                )}
              </Descriptions>
              <Button onClick={downloadReport}>{a('downloadReport')}</Button>
            </>
          )}
        </Space>
      </Card>
      <Card size="small" title={<h2 style={H2}>{a('export')}</h2>}>
        <p style={{ marginTop: 0 }}>{a('exportIntro')}</p>
        <Form layout="inline" style={{ rowGap: 8, marginBottom: 12 }}>
          <Form.Item label={a('exportFrom')} htmlFor="export-from">
            <DatePicker id="export-from" value={from} onChange={setFrom} />
          </Form.Item>
          <Form.Item label={a('exportTo')} htmlFor="export-to">
            <DatePicker id="export-to" value={to} onChange={setTo} />
          </Form.Item>
          <Form.Item>
            <Checkbox checked={withoutFiles} onChange={(e) => setWithoutFiles(e.target.checked)}>
              {a('withoutFiles')}
            </Checkbox>
          </Form.Item>
        </Form>
        <Button type="primary" href={exportHref} download>
          {a('downloadBundle')}
        </Button>
        <p style={{ color: '#595959' }}>{a('exportNote')}</p>
        <h3 style={{ ...H2, marginTop: 16 }}>{a('offlineSteps')}</h3>
        <ol style={{ listStyle: 'none', paddingLeft: 0 }} aria-label={a('offlineSteps')}>
          <li>{a('exportStep1')}</li>
          <li>
            {a('exportStep2')}
            <Typography.Paragraph copyable code>
              tar -xzf event-export-*.tar.gz
            </Typography.Paragraph>
          </li>
          <li>
            {a('exportStep3')}
            <Typography.Paragraph copyable code>
              npm run cli -- verify-export ./event-export-*/
            </Typography.Paragraph>
          </li>
          <li>{a('exportStep4')}</li>
        </ol>
      </Card>
    </>
  );
}
