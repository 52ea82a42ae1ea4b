import { Card, Table, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, must, type Me } from '../api';
import { type RoundListItem, useLabel, useWords } from '../labels';
import { preloadedAll } from '../preloaded';
import type { components } from '../schema';
import { useServerToday } from '../serverDay';
import { chinaTime, workingDaysSince } from '../time';
import { useWorklistLive } from './live';

type WorkItem = components['schemas']['WorklistItemDto'];

/** What an officer opens every morning: open rounds of their jurisdiction, and what awaits them. */
export function Home({ me }: { me: Me }) {
  const w = useWords();
  const today = useServerToday();
  const t = useLabel();
  // Opened by its address, the page has its first answers from boot.ts (preloaded.ts) and
  // renders once, with them; the effect below then skips its first call.
  const [initial] = useState(() =>
    preloadedAll<[{ items: RoundListItem[] }, { items: WorkItem[] }]>([
      '/v1/rounds?status=open',
      '/v1/worklist?limit=100',
    ]),
  );
  const [rounds, setRounds] = useState<RoundListItem[] | undefined>(initial?.[0].items);
  const [work, setWork] = useState<WorkItem[] | undefined>(initial?.[1].items);
  const skipLoad = useRef(initial !== undefined);

  const load = useCallback(async () => {
    const [r, wl] = await Promise.all([
      api.GET('/v1/rounds', { params: { query: { status: 'open' } } }),
      api.GET('/v1/worklist', { params: { query: { limit: 100 } } }),
    ]);
    setRounds(must(r).items);
    setWork(must(wl).items);
  }, []);
  useEffect(() => {
    if (skipLoad.current) skipLoad.current = false;
    else void load();
  }, [load]);
  // The worklist follows one live stream for all its rows (a stream per row would use up the
  // browser's six connections per host).
  useWorklistLive(() => void load());

  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('home')}</h1>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{w('openRounds')}</h2>}
        style={{ marginBottom: 24 }}
      >
        <Table
          rowKey="id"
          size="small"
          loading={!rounds}
          dataSource={rounds}
          pagination={false}
          columns={[
            {
              title: w('title'),
              dataIndex: 'title',
              render: (v, r) => <Link to={`/rounds/${r.id}`}>{v}</Link>,
            },
            { title: w('programme'), dataIndex: 'programme', render: (v) => t('programmes', v) },
            { title: w('window'), render: (_, r) => `${chinaTime(r.opensAt)} — ${chinaTime(r.closesAt)}` },
            { title: w('applications'), render: (_, r) => r.counts.total },
          ]}
        />
      </Card>
      <Card
        title={
          <h2 style={{ fontSize: 16, margin: 0 }}>
            {w('worklist')} <Tag style={{ color: '#003a8c' }}>{work?.length ?? 0}</Tag>
          </h2>
        }
      >
        <Table
          rowKey="applicationId"
          size="small"
          loading={!work}
          dataSource={work}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: w('enterprise'),
              dataIndex: 'name',
              render: (v, r) => <Link to={`/applications/${r.applicationId}`}>{v ?? r.creditCode}</Link>,
            },
            { title: w('programme'), dataIndex: 'programme', render: (v) => t('programmes', v) },
            { title: w('status'), dataIndex: 'status', render: (v) => t('applicationStatuses', v) },
            { title: w('stage'), dataIndex: 'awaiting', render: (v) => t('stages', v) },
            {
              title: w('waiting'),
              dataIndex: 'since',
              render: (v: string) => {
                if (!today) return null;
                const days = workingDaysSince(v, today);
                return (
                  <Tag style={{ color: days >= 10 ? '#820014' : days >= 5 ? '#873800' : '#262626' }}>
                    {days}
                  </Tag>
                );
              },
            },
          ]}
        />
      </Card>
      <span hidden>{me.sub}</span>
    </>
  );
}
