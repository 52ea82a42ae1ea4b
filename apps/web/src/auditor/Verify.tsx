import { Button, Card, Descriptions, Progress, Result, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
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
  };
}

const H2 = { fontSize: 14, margin: 0 } as const;

/**
 * Verify the whole record (GET /v1/audit/verify recomputes every chain, then every material
 * file's digest; it answers once, without progress, so the page shows an indeterminate
 * progress and the elapsed time), and the offline check of an export bundle.
 */
export function Verify() {
  const a = useAuditorWords();
  const [running, setRunning] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<VerifyResult>();
  const started = useRef(0);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setElapsed((Date.now() - started.current) / 1000), 200);
    return () => clearInterval(timer);
  }, [running]);

  async function verify() {
    setResult(undefined);
    started.current = Date.now();
    setElapsed(0);
    setRunning(true);
    try {
      const res = await api.GET('/v1/audit/verify');
      setResult(res.data as unknown as VerifyResult);
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
          {running && (
            <div role="status">
              {/* The api answers once, at the end: an honest indeterminate bar, and the time so far. */}
              <Progress percent={100} status="active" showInfo={false} aria-label={a('verifying')} />
              {a('verifying')} {a('elapsed')} {elapsed.toFixed(1)} {a('seconds')}
            </div>
          )}
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
              </Descriptions>
              <Button onClick={downloadReport}>{a('downloadReport')}</Button>
            </>
          )}
        </Space>
      </Card>
      <Card size="small" title={<h2 style={H2}>{a('export')}</h2>}>
        <p style={{ marginTop: 0 }}>{a('exportIntro')}</p>
        <p>{a('exportStep1')}</p>
        <Typography.Paragraph copyable code>
          npm run cli -- export --out ./export-2026
        </Typography.Paragraph>
        <p>{a('exportStep2')}</p>
        <Typography.Paragraph copyable code>
          npm run cli -- verify-export ./export-2026
        </Typography.Paragraph>
        <p>{a('exportStep3')}</p>
        <p style={{ color: '#595959' }}>{a('exportNote')}</p>
      </Card>
    </>
  );
}
