import { Alert, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { chinaTime } from '../time';
import { useServerToday } from '../serverDay';
import { workingDaysUntil } from './working-days';
import { type ExpertWord, useExpertWords } from './words';

export interface Assignment {
  applicationId: string;
  dueOn: string;
  state: 'awaiting-score' | 'scored' | 'replaced' | 'concluded';
  score: number | null;
  assignedAt: string;
}

const DUE_SOON = { color: '#873800', background: '#fff7e6', borderColor: '#ffd591' };
const LATE = { color: '#820014', background: '#fff1f0', borderColor: '#ffa39e' };

/** My seats on panels (blind: an application id and a deadline), the most urgent first. */
export function Assignments() {
  const x = useExpertWords();
  const today = useServerToday();
  const [rows, setRows] = useState<Assignment[]>();
  useEffect(() => {
    void api.GET('/v1/assignments').then((res) => setRows((res.data as unknown as Assignment[]) ?? []));
  }, []);
  const sorted = (rows ?? []).slice().sort((a, b) => {
    const open = (r: Assignment) => (r.state === 'awaiting-score' ? 0 : 1);
    return open(a) - open(b) || a.dueOn.localeCompare(b.dueOn);
  });
  return (
    <>
      <h1 style={{ fontSize: 20 }}>{x('assignments')}</h1>
      <Alert type="info" title={x('blindNote')} style={{ marginBottom: 16 }} />
      <Table<Assignment>
        rowKey="applicationId"
        loading={rows === undefined}
        dataSource={sorted}
        pagination={false}
        columns={[
          {
            title: x('application'),
            render: (_, r) => (
              <Link to={`/applications/${r.applicationId}`} aria-label={`${x('open')} ${r.applicationId}`}>
                {r.applicationId.slice(0, 8).toUpperCase()}
              </Link>
            ),
          },
          { title: x('assignedAt'), render: (_, r) => chinaTime(r.assignedAt) },
          { title: x('dueOn'), dataIndex: 'dueOn' },
          {
            title: x('remaining'),
            render: (_, r) => {
              if (r.state !== 'awaiting-score') return '—';
              const left = workingDaysUntil(r.dueOn, today);
              if (left < 0)
                return (
                  <Tag style={LATE}>
                    {x('overdue')} {-left}
                  </Tag>
                );
              return left <= 3 ? <Tag style={DUE_SOON}>{left}</Tag> : left;
            },
          },
          {
            title: x('state'),
            render: (_, r) => `${x(r.state as ExpertWord)}${r.score !== null ? `（${r.score}）` : ''}`,
          },
        ]}
      />
    </>
  );
}
