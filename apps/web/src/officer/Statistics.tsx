import { Card, Empty, Progress, Radio, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { components } from '../schema';
import { useLabel, useWords } from '../labels';
import { useServerToday } from '../serverDay';

type YearStats = components['schemas']['YearStatsDto'];
type StatusCounts = components['schemas']['StatusCountsDto'];

/**
 * A year's applications within the officer's jurisdiction: a bar per programme (antd Progress,
 * its count written next to it) and the table programme × status, every code by its label.
 */
export function Statistics() {
  const w = useWords();
  const t = useLabel();
  const today = useServerToday();
  const thisYear = today ? Number(today.slice(0, 4)) : undefined;
  const [chosen, setChosen] = useState<number>();
  const year = chosen ?? thisYear;
  const [stats, setStats] = useState<YearStats>();

  useEffect(() => {
    if (year === undefined) return;
    let live = true;
    setStats(undefined);
    void api.GET('/v1/statistics/applications', { params: { query: { year } } }).then((res) => {
      if (live && res.data) setStats(res.data);
    });
    return () => {
      live = false;
    };
  }, [year]);

  const statuses = stats ? Object.keys(stats.byStatus).filter((s) => stats.byStatus[s] > 0) : [];
  const largest = Math.max(1, ...(stats?.byProgramme.map((p) => p.total) ?? []));
  const rows = stats
    ? [
        ...stats.byProgramme.map((p) => ({ key: p.programme, name: t('programmes', p.programme), ...p })),
        { key: '', name: w('total'), programme: '', total: stats.total, byStatus: stats.byStatus },
      ]
    : [];

  return (
    <>
      <h1 style={{ fontSize: 20 }}>{w('statistics')}</h1>
      <Space style={{ marginBottom: 16 }}>
        <span id="statistics-year">{w('year')}</span>
        <Radio.Group
          role="radiogroup"
          aria-labelledby="statistics-year"
          optionType="button"
          value={year}
          onChange={(e) => setChosen(e.target.value as number)}
          options={
            thisYear
              ? Array.from({ length: 5 }, (_, i) => ({ value: thisYear - i, label: `${thisYear - i}年` }))
              : []
          }
        />
        {year !== undefined && (
          // The same figures with the district breakdown, as the workbook leadership prints.
          <a href={`/v1/statistics/applications.xlsx?year=${year}`} download>
            {w('statsXlsx')}
          </a>
        )}
      </Space>
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>{w('statsChart')}</h2>}
        style={{ marginBottom: 16 }}
        loading={!stats}
      >
        {stats && stats.byProgramme.length === 0 && <Empty description={w('noFigures')} />}
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {stats?.byProgramme.map((p) => (
            <li key={p.programme} style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
              <span style={{ width: 160 }}>{t('programmes', p.programme)}</span>
              <Progress
                style={{ flex: 1, margin: 0 }}
                percent={(p.total / largest) * 100}
                showInfo={false}
                status="normal"
                aria-label={`${t('programmes', p.programme)}：${p.total}`}
              />
              <span style={{ width: 64, textAlign: 'right' }}>{p.total}</span>
            </li>
          ))}
        </ul>
      </Card>
      <Table
        caption={<h2 style={{ fontSize: 16, textAlign: 'left' }}>{w('statsTable')}</h2>}
        rowKey="key"
        loading={!stats}
        pagination={false}
        dataSource={rows}
        columns={[
          { title: w('programme'), dataIndex: 'name' },
          ...statuses.map((s) => ({
            title: t('applicationStatuses', s),
            key: s,
            align: 'right' as const,
            render: (_: unknown, r: StatusCounts) => r.byStatus[s] ?? 0,
          })),
          { title: w('total'), dataIndex: 'total', align: 'right' as const },
        ]}
      />
    </>
  );
}
