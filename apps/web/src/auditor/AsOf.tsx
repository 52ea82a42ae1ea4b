import { Button, Card, Col, DatePicker, Descriptions, Empty, Row, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useLabel } from '../labels';
import { chinaTime } from '../time';
import { useAuditorWords } from './words';

const H2 = { fontSize: 14, margin: 0 } as const;
const ONLY = { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' };

/** Two instants chosen side by side (now and an hour ago by default); `render` shows one of them. */
function TwoInstants({
  title,
  hint,
  render,
}: {
  title: string;
  hint: string;
  render: (instants: [string, string]) => ReactNode;
}) {
  const a = useAuditorWords();
  const [picked, setPicked] = useState<[Dayjs | null, Dayjs | null]>([dayjs().subtract(1, 'hour'), dayjs()]);
  const [shown, setShown] = useState<[string, string] | null>(null);
  return (
    <Card size="small" title={<h2 style={H2}>{title}</h2>} style={{ marginBottom: 16 }}>
      <p style={{ color: '#595959', marginTop: 0 }}>{hint}</p>
      <Space wrap style={{ marginBottom: 12 }}>
        {([0, 1] as const).map((i) => (
          <label key={i}>
            {i === 0 ? a('instantA') : a('instantB')}{' '}
            <DatePicker
              showTime
              needConfirm={false}
              format="YYYY-MM-DD HH:mm:ss"
              value={picked[i]}
              aria-label={i === 0 ? a('instantA') : a('instantB')}
              onChange={(v) => setPicked((p) => (i === 0 ? [v, p[1]] : [p[0], v]))}
            />
          </label>
        ))}
        <Button
          type="primary"
          disabled={!picked[0] || !picked[1]}
          onClick={() => setShown([picked[0]!.toISOString(), picked[1]!.toISOString()])}
        >
          {a('show')}
        </Button>
      </Space>
      {shown && render(shown)}
    </Card>
  );
}

interface ApplicationAsOf {
  status: string;
  revision: number;
  awaiting?: string;
  score?: string;
  eligibility: { eligible: boolean } | null;
  returned?: { respondBy: string; reason: string };
  publicity?: { startsOn?: string; endsOn?: string };
}

/** An application as it stood at two instants, side by side. */
export function ApplicationAsOf({ id }: { id: string }) {
  const a = useAuditorWords();
  return (
    <TwoInstants
      title={a('asOf')}
      hint={a('asOfHint')}
      render={(instants) => (
        <Row gutter={16}>
          {instants.map((at, i) => (
            <Col span={12} key={`${i}-${at}`}>
              <OneApplication id={id} at={at} label={i === 0 ? a('instantA') : a('instantB')} />
            </Col>
          ))}
        </Row>
      )}
    />
  );
}

/** The result of `load` for `key` (an instant): loaded again when the key changes. */
function useAsOf<T>(load: () => Promise<T | null>, key: string) {
  const [state, setState] = useState<{ key: string; value: T | null } | undefined>();
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    let live = true;
    void loader.current().then((value) => live && setState({ key, value }));
    return () => {
      live = false;
    };
  }, [key]);
  return state?.key === key ? state.value : undefined;
}

function OneApplication({ id, at, label }: { id: string; at: string; label: string }) {
  const a = useAuditorWords();
  const t = useLabel();
  const view = useAsOf<ApplicationAsOf>(async () => {
    const res = await api.GET('/v1/applications/{id}', { params: { path: { id }, query: { asOf: at } } });
    return res.response.ok ? (res.data as unknown as ApplicationAsOf) : null;
  }, `${id}@${at}`);
  return (
    <section aria-label={`${label} ${chinaTime(at)}`}>
      <h3 style={{ fontSize: 14 }}>
        {label}：{chinaTime(at)}
      </h3>
      {view === undefined ? null : view === null ? (
        <Empty description={a('notYet')} />
      ) : (
        <Descriptions size="small" bordered column={1}>
          <Descriptions.Item label={a('status')}>{t('applicationStatuses', view.status)}</Descriptions.Item>
          <Descriptions.Item label={a('revision')}>{view.revision}</Descriptions.Item>
          <Descriptions.Item label={a('awaiting')}>{t('stages', view.awaiting) || '—'}</Descriptions.Item>
          <Descriptions.Item label={a('eligible')}>
            {view.eligibility ? (view.eligibility.eligible ? a('yes') : a('no')) : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={a('score')}>{view.score ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
    </section>
  );
}

interface ListEntry {
  applicationId: string;
  creditCode: string;
  name: string;
  score: string | number | null;
}

/** A round's proposed and final lists as they stood at two instants, side by side. */
export function RoundListsAsOf({ id }: { id: string }) {
  const a = useAuditorWords();
  return (
    <TwoInstants
      title={a('asOf')}
      hint={a('asOfHint')}
      render={(instants) => <Lists id={id} instants={instants} />}
    />
  );
}

function Lists({ id, instants }: { id: string; instants: [string, string] }) {
  const a = useAuditorWords();
  const lists = useAsOf<Record<'proposed' | 'final', [ListEntry[], ListEntry[]]>>(
    async () => {
      const read = (stage: 'proposed' | 'final', at: string) =>
        api
          .GET('/v1/rounds/{id}/list', { params: { path: { id }, query: { stage, asOf: at } } })
          .then((res) => (res.response.ok ? (res.data as unknown as ListEntry[]) : []));
      const [p0, p1, f0, f1] = await Promise.all([
        read('proposed', instants[0]),
        read('proposed', instants[1]),
        read('final', instants[0]),
        read('final', instants[1]),
      ]);
      return { proposed: [p0, p1], final: [f0, f1] };
    },
    `${id}@${instants.join('/')}`,
  );
  if (!lists) return null;
  return (
    <>
      {(['proposed', 'final'] as const).map((stage) => (
        <div key={stage}>
          <h3 style={{ fontSize: 14 }}>{stage === 'proposed' ? a('proposedList') : a('finalList')}</h3>
          <Row gutter={16}>
            {([0, 1] as const).map((i) => {
              const other = new Set(lists[stage][1 - i].map((e) => e.applicationId));
              const label = i === 0 ? a('instantA') : a('instantB');
              return (
                <Col span={12} key={i}>
                  <section
                    aria-label={`${stage === 'proposed' ? a('proposedList') : a('finalList')} ${label}`}
                  >
                    <p style={{ margin: '4px 0' }}>
                      {label}：{chinaTime(instants[i])}（{lists[stage][i].length}）
                    </p>
                    <Table<ListEntry>
                      size="small"
                      rowKey="applicationId"
                      pagination={false}
                      dataSource={lists[stage][i]}
                      columns={[
                        {
                          title: a('enterpriseName'),
                          render: (_, e) => (
                            <>
                              {e.name} {!other.has(e.applicationId) && <Tag style={ONLY}>{a('only')}</Tag>}
                            </>
                          ),
                        },
                        { title: a('creditCode'), dataIndex: 'creditCode' },
                        { title: a('score'), render: (_, e) => e.score ?? '—' },
                      ]}
                    />
                  </section>
                </Col>
              );
            })}
          </Row>
        </div>
      ))}
    </>
  );
}
