import { App, Button, Card, Descriptions, Input, Popconfirm, Select, Space, Spin, Table, Tabs } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, must } from '../api';
import { useLabel, useWords } from '../labels';
import { preloadedAll } from '../preloaded';
import type { components, paths } from '../schema';
import { chinaTime } from '../time';
import { jurisdictionName } from './jurisdictions';
import { useOfficerWords } from './words';

// The lifecycle tabs load when first opened.
const RoundPanels = lazy(() => import('./RoundPanels').then((m) => ({ default: m.RoundPanels })));
const RoundPublicity = lazy(() => import('./RoundPublicity').then((m) => ({ default: m.RoundPublicity })));
const RoundLists = lazy(() => import('./RoundLists').then((m) => ({ default: m.RoundLists })));

type Row = components['schemas']['RoundApplicationRowDto'];
type Page = components['schemas']['RoundApplicationsPageDto'];
type Stats = components['schemas']['RoundStatsDto'];
type Round = components['schemas']['RoundDto'];
type Sort = NonNullable<paths['/v1/rounds/{id}/applications']['get']['parameters']['query']>['sort'];

const STATUSES = [
  'submitted',
  'returned',
  'recommended',
  'in-expert-review',
  'passed',
  'failed',
  'in-publicity',
  'admitted',
  'rejected',
  'withdrawn',
] as const;

/** A round: its facts, statistics by district, and its applications in a server-side table. */
export function RoundPage() {
  const { id } = useParams() as { id: string };
  const w = useWords();
  const t = useLabel();
  const o = useOfficerWords();
  const { message, modal } = App.useApp();
  // Opened by its address, the page has its first answers from boot.ts (preloaded.ts) and
  // renders once, with them; the effects below then skip their first call.
  const [initial] = useState(() =>
    preloadedAll<[Round, Stats, Page]>([
      `/v1/rounds/${id}`,
      `/v1/rounds/${id}/stats`,
      `/v1/rounds/${id}/applications?offset=0&limit=20`,
    ]),
  );
  const [round, setRound] = useState<Round | undefined>(initial?.[0]);
  const [stats, setStats] = useState<Stats | undefined>(initial?.[1]);
  const [page, setPage] = useState<Page | undefined>(initial?.[2]);
  const skipRound = useRef(initial !== undefined);
  const skipPage = useRef(initial !== undefined);
  const [query, setQuery] = useState<{
    status?: (typeof STATUSES)[number];
    q?: string;
    eligible?: boolean;
    sort?: Sort;
    offset: number;
    limit: number;
  }>({ offset: 0, limit: 20 });

  const loadRound = useCallback(async () => {
    const [r, s] = await Promise.all([
      api.GET('/v1/rounds/{id}', { params: { path: { id } } }),
      api.GET('/v1/rounds/{id}/stats', { params: { path: { id } } }),
    ]);
    setRound(must(r));
    setStats(must(s));
  }, [id]);
  useEffect(() => {
    if (skipRound.current) skipRound.current = false;
    else void loadRound();
  }, [loadRound]);
  const load = useCallback(async () => {
    setPage(must(await api.GET('/v1/rounds/{id}/applications', { params: { path: { id }, query } })));
  }, [id, query]);
  useEffect(() => {
    if (skipPage.current) skipPage.current = false;
    else void load();
  }, [load]);

  async function drawPanels() {
    try {
      const result = must(await api.POST('/v1/rounds/{id}/panels', { params: { path: { id } } }));
      modal.info({
        title: w('drawPanels'),
        content: `${w('drawn')} ${result.drawn.length} · ${w('skipped')} ${result.skipped.length} · ${w('failed')} ${result.failed.length}`,
      });
      await load();
    } catch (error) {
      void message.error((error as Error).message);
    }
  }

  const applications = (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={w('search')}
          placeholder={w('search')}
          allowClear
          style={{ width: 280 }}
          onSearch={(q) => setQuery((x) => ({ ...x, q: q || undefined, offset: 0 }))}
        />
        <Select
          allowClear
          aria-label={w('status')}
          placeholder={w('status')}
          style={{ width: 160 }}
          options={STATUSES.map((s) => ({ value: s, label: t('applicationStatuses', s) }))}
          onChange={(status) => setQuery((x) => ({ ...x, status, offset: 0 }))}
        />
        <Select
          allowClear
          aria-label={w('eligible')}
          placeholder={w('eligible')}
          style={{ width: 120 }}
          options={[
            { value: 'true', label: w('yes') },
            { value: 'false', label: w('no') },
          ]}
          onChange={(v) =>
            setQuery((x) => ({ ...x, eligible: v === undefined ? undefined : v === 'true', offset: 0 }))
          }
        />
        <Popconfirm title={w('confirmDraw')} onConfirm={drawPanels}>
          <Button>{w('drawPanels')}</Button>
        </Popconfirm>
      </Space>
      <Table<Row>
        rowKey="applicationId"
        loading={!page}
        dataSource={page?.items}
        pagination={{
          current: Math.floor(query.offset / query.limit) + 1,
          pageSize: query.limit,
          total: page?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => `${w('total')} ${total}`,
        }}
        onChange={(pagination, _filters, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const field = s?.order ? String(s.field) : undefined;
          const key =
            field === 'district'
              ? 'district'
              : field === 'name'
                ? 'name'
                : field === 'score'
                  ? 'score'
                  : field === 'status'
                    ? 'status'
                    : undefined;
          const limit = pagination.pageSize ?? 20;
          setQuery((x) => ({
            ...x,
            limit,
            offset: ((pagination.current ?? 1) - 1) * limit,
            sort: key ? ((s?.order === 'descend' ? `-${key}` : key) as Sort) : undefined,
          }));
        }}
        columns={[
          {
            title: w('enterprise'),
            dataIndex: 'name',
            sorter: true,
            render: (v, r) => <Link to={`/applications/${r.applicationId}`}>{v ?? r.creditCode}</Link>,
          },
          { title: w('creditCode'), dataIndex: 'creditCode' },
          {
            title: w('district'),
            dataIndex: 'district',
            sorter: true,
            render: (v: string) => jurisdictionName(v),
          },
          {
            title: w('status'),
            dataIndex: 'status',
            sorter: true,
            render: (v) => t('applicationStatuses', v),
          },
          {
            title: w('eligible'),
            dataIndex: 'eligible',
            render: (v) => (v === null ? '' : v ? w('yes') : w('no')),
          },
          { title: w('score'), dataIndex: 'score', sorter: true },
        ]}
      />
    </>
  );

  return (
    <>
      <h1 style={{ fontSize: 20 }}>{round?.title ?? ''}</h1>
      {round && (
        <Descriptions size="small" bordered column={3} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={w('programme')}>{t('programmes', round.programme)}</Descriptions.Item>
          <Descriptions.Item label={w('status')}>{t('roundStatuses', round.status)}</Descriptions.Item>
          <Descriptions.Item label={w('policyInForce')}>{round.policyVersion}</Descriptions.Item>
          <Descriptions.Item label={w('window')}>
            {chinaTime(round.opensAt)} — {chinaTime(round.closesAt)}
          </Descriptions.Item>
          <Descriptions.Item label={w('jurisdiction')}>
            {jurisdictionName(round.jurisdiction)}
          </Descriptions.Item>
          <Descriptions.Item label={w('total')}>{stats?.total ?? ''}</Descriptions.Item>
        </Descriptions>
      )}
      {stats && stats.byDistrict.length > 0 && (
        <Card
          size="small"
          title={<h2 style={{ fontSize: 14, margin: 0 }}>{w('statistics')}</h2>}
          style={{ marginBottom: 16 }}
        >
          <Table
            size="small"
            rowKey="jurisdiction"
            pagination={false}
            dataSource={stats.byDistrict}
            columns={[
              { title: w('district'), dataIndex: 'jurisdiction', render: (v: string) => jurisdictionName(v) },
              { title: w('total'), dataIndex: 'total' },
              ...Object.keys(stats.byStatus).map((s) => ({
                title: t('applicationStatuses', s),
                key: s,
                render: (_: unknown, d: { byStatus: Record<string, number> }) => d.byStatus[s] ?? 0,
              })),
            ]}
          />
        </Card>
      )}
      <Suspense fallback={<Spin />}>
        <Tabs
          destroyOnHidden
          items={[
            { key: 'applications', label: o('tabApplications'), children: applications },
            { key: 'panels', label: o('tabPanels'), children: <RoundPanels roundId={id} /> },
            {
              key: 'publicity',
              label: o('tabPublicity'),
              children: round ? <RoundPublicity round={round} reload={loadRound} /> : null,
            },
            { key: 'lists', label: o('tabLists'), children: round ? <RoundLists round={round} /> : null },
          ]}
        />
      </Suspense>
    </>
  );
}
