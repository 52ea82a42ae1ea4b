import { Card, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, must } from '../api';
import { useWords } from '../labels';
import type { components } from '../schema';
import { useOfficerWords } from './words';

type Round = components['schemas']['RoundDto'];
interface Entry {
  applicationId: string;
  creditCode: string;
  name: string;
  score: string;
}

/** A shown score ("81.4", "≈ 70.33") as a number, for sorting by value (never by its text). */
export function scoreValue(score: string | null | undefined): number {
  const n = Number(
    String(score ?? '')
      .replace('≈', '')
      .trim(),
  );
  return score == null || Number.isNaN(n) ? -Infinity : n;
}

/** The proposed and the final list of a round (by score), and the documents the api produces. */
export function RoundLists({ round }: { round: Round }) {
  const w = useWords();
  const o = useOfficerWords();
  const [proposed, setProposed] = useState<Entry[]>();
  const [final, setFinal] = useState<Entry[]>();

  useEffect(() => {
    const list = async (stage: 'proposed' | 'final') =>
      must(
        await api.GET('/v1/rounds/{id}/list', { params: { path: { id: round.id }, query: { stage } } }),
      ) as unknown as Entry[];
    // A list that cannot be read shows as empty (never a spinner for ever).
    if (round.publicity) void list('proposed').then(setProposed, () => setProposed([]));
    if (round.final) void list('final').then(setFinal, () => setFinal([]));
  }, [round]);

  const doc = (name: string, label: string, available: boolean) =>
    available ? (
      <a href={`/v1/rounds/${round.id}/documents/${name}`} download>
        {label}
      </a>
    ) : (
      <span style={{ color: '#595959' }}>
        {label}（{o('notYet')}）
      </span>
    );

  const table = (title: string, entries: Entry[] | undefined, available: boolean) => (
    <Card
      size="small"
      title={<h2 style={{ fontSize: 14, margin: 0 }}>{title}</h2>}
      style={{ marginBottom: 16 }}
    >
      {available ? (
        <Table<Entry>
          rowKey="applicationId"
          size="small"
          loading={!entries}
          dataSource={entries}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: o('rank'), render: (_, _r, i) => i + 1, width: 64 },
            {
              title: w('enterprise'),
              dataIndex: 'name',
              render: (v, r) => <Link to={`/applications/${r.applicationId}`}>{v}</Link>,
            },
            { title: w('creditCode'), dataIndex: 'creditCode' },
            {
              title: w('score'),
              dataIndex: 'score',
              sorter: (a, b) => scoreValue(a.score) - scoreValue(b.score),
            },
          ]}
        />
      ) : (
        <span>{o('notYet')}</span>
      )}
    </Card>
  );

  return (
    <>
      <Card
        size="small"
        title={<h2 style={{ fontSize: 14, margin: 0 }}>{o('downloads')}</h2>}
        style={{ marginBottom: 16 }}
      >
        <Space size="large" wrap>
          {doc('publicity-list.xlsx', `${o('proposedList')}${o('listXlsx')}`, !!round.publicity)}
          {doc('publicity-notice.docx', o('publicityNotice'), !!round.publicity)}
          {doc('final-list.xlsx', `${o('finalList')}${o('listXlsx')}`, !!round.final)}
          {doc('admission-notice.docx', o('admissionNotice'), !!round.final)}
        </Space>
      </Card>
      {table(o('proposedList'), proposed, !!round.publicity)}
      {table(o('finalList'), final, !!round.final)}
    </>
  );
}
