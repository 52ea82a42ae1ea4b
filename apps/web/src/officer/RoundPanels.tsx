import { App, Button, Popconfirm, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, must } from '../api';
import { useWords } from '../labels';
import type { components } from '../schema';
import { jurisdictionName } from './jurisdictions';
import { useOfficerWords } from './words';

type Progress = components['schemas']['PanelProgressDto'];
type ProgressPage = components['schemas']['PanelProgressPageDto'];
type Seat = components['schemas']['PanelSeatDto'];

// Tag colours with AA contrast.
const OK = { color: '#135200', background: '#f6ffed', borderColor: '#b7eb8f' };
const LATE = { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' };
const WAIT = { color: '#003a8c', background: '#e6f4ff', borderColor: '#91caff' };

/**
 * A round's expert review: for each application in expert review, its panel (drawn or not), how
 * many scored, who is overdue; panels for all at once; an overdue expert replaced by a fresh draw.
 */
export function RoundPanels({ roundId }: { roundId: string }) {
  const w = useWords();
  const o = useOfficerWords();
  const { message } = App.useApp();
  const [page, setPage] = useState<ProgressPage>();
  const [at, setAt] = useState({ offset: 0, limit: 20 });

  const load = useCallback(async () => {
    setPage(must(await api.GET('/v1/rounds/{id}/panels', { params: { path: { id: roundId }, query: at } })));
  }, [roundId, at]);
  useEffect(() => void load(), [load]);

  async function drawPanels() {
    try {
      const result = must(await api.POST('/v1/rounds/{id}/panels', { params: { path: { id: roundId } } }));
      // A notice that needs no click: the table below shows the panels at once.
      void message.success(
        `${w('drawPanels')}：${w('drawn')} ${result.drawn.length} · ${w('skipped')} ${result.skipped.length} · ${w('failed')} ${result.failed.length}`,
      );
      await load();
    } catch (error) {
      void message.error((error as Error).message);
    }
  }

  async function replace(applicationId: string, expertId: string) {
    try {
      must(
        await api.POST('/v1/applications/{id}/panel/replacements', {
          params: { path: { id: applicationId } },
          body: { expertId },
        }),
      );
      void message.success(o('replaced'));
      await load();
    } catch (error) {
      void message.error((error as Error).message);
    }
  }

  const seatTag = (s: Seat) =>
    s.scored ? (
      <Tag style={OK}>{o('scored')}</Tag>
    ) : s.overdue ? (
      <Tag style={LATE}>{o('overdue')}</Tag>
    ) : s.declaration === 'conflict' ? (
      <Tag style={LATE}>{o('declaredConflict')}</Tag>
    ) : (
      <Tag style={WAIT}>{o('awaitingScore')}</Tag>
    );

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Popconfirm title={w('confirmDraw')} onConfirm={drawPanels}>
          <Button type="primary">{w('drawPanels')}</Button>
        </Popconfirm>
        <Button onClick={() => void load()}>{o('refresh')}</Button>
      </Space>
      <Table<Progress>
        rowKey="applicationId"
        size="small"
        loading={!page}
        dataSource={page?.items}
        locale={{ emptyText: o('noneInReview') }}
        pagination={{
          current: Math.floor(at.offset / at.limit) + 1,
          pageSize: at.limit,
          total: page?.total ?? 0,
          showTotal: (total) => `${o('inReview')} ${total}`,
          onChange: (current, size) => setAt({ limit: size, offset: (current - 1) * size }),
        }}
        expandable={{
          rowExpandable: (r) => r.drawn,
          expandedRowRender: (r) => (
            <Table<Seat>
              rowKey="expertId"
              size="small"
              pagination={false}
              dataSource={r.seats}
              columns={[
                {
                  title: o('expert'),
                  dataIndex: 'expertId',
                  render: (id: string, s) =>
                    s.expertName ? (
                      <>
                        {s.expertName} <span style={{ color: '#595959' }}>（{id}）</span>
                      </>
                    ) : (
                      id
                    ),
                },
                { title: o('dueOn'), dataIndex: 'dueOn' },
                { title: o('seatState'), render: (_, s) => seatTag(s) },
                {
                  title: w('actions'),
                  render: (_, s) =>
                    s.overdue ? (
                      <Popconfirm
                        title={o('confirmReplace')}
                        onConfirm={() => replace(r.applicationId, s.expertId)}
                      >
                        <Button size="small" danger aria-label={`${o('replace')} ${s.expertId}`}>
                          {o('replace')}
                        </Button>
                      </Popconfirm>
                    ) : null,
                },
              ]}
            />
          ),
        }}
        columns={[
          {
            title: w('enterprise'),
            dataIndex: 'name',
            render: (v, r) => <Link to={`/applications/${r.applicationId}`}>{v ?? r.creditCode}</Link>,
          },
          { title: w('district'), dataIndex: 'district', render: (v: string) => jurisdictionName(v) },
          {
            title: o('panel'),
            render: (_, r) => (r.drawn ? `${r.size}` : <Tag style={LATE}>{o('notDrawn')}</Tag>),
          },
          {
            title: o('scoredOf'),
            render: (_, r) => (r.drawn ? `${r.scored} / ${r.size}` : ''),
          },
          {
            title: o('overdue'),
            render: (_, r) => (r.overdue > 0 ? <Tag style={LATE}>{r.overdue}</Tag> : r.drawn ? '0' : ''),
          },
        ]}
      />
    </>
  );
}
